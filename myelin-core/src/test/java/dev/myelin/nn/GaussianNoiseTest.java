package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** GaussianNoise adds N(0, std²) in training only, and passes gradients unchanged. */
class GaussianNoiseTest {
    @Test
    void addsZeroMeanNoiseOfTheGivenStdInTraining() {
        int n = 100_000;
        Tensor x = Tensor.full(3f, n).requiresGrad(true);
        Tensor y = new GaussianNoise(0.5, new Rng(31)).forward(x);
        double sum = 0;
        double sq = 0;
        for (float v : y.data()) {
            sum += v - 3;
            sq += (v - 3.0) * (v - 3.0);
        }
        assertEquals(0, sum / n, 5 * 0.5 / Math.sqrt(n), "noise mean");
        assertEquals(0.5, Math.sqrt(sq / n), 0.005, "noise std");
        y.backward(Tensor.full(2f, n), false);
        assertEquals(2f, x.grad().data()[17], 0f, "dy/dx = 1");
    }

    @Test
    void evaluationIsTheIdentityAndBadStdIsRejected() {
        GaussianNoise g = new GaussianNoise(1.0, new Rng(32));
        Tensor x = Tensor.randn(new Rng(33), 5, 4);
        g.eval();
        assertSame(x, g.forward(x));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(-1, new Rng(1)));
        assertTrue(e.getMessage().contains("std >= 0"), e.getMessage());
    }
}
