package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Inverted dropout: unbiased in training, the identity in evaluation, gradient through kept units only. */
class DropoutTest {
    private static final int N = 200_000;

    /**
     * Each output is x/(1 − p) with probability 1 − p, else 0: its mean is x and its variance
     * x²·p/(1 − p). With x = 1 the sample mean is within 4 standard errors of 1, and the kept
     * fraction within 4 standard errors of 1 − p.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.5, 0.8})
    void trainingOutputIsUnbiased(double p) {
        Dropout dropout = new Dropout(p, new Rng(11));
        float[] y = dropout.forward(Tensor.ones(N)).data();

        double sum = 0;
        int kept = 0;
        for (float v : y) {
            sum += v;
            kept += v != 0 ? 1 : 0;
        }
        double meanSe = Math.sqrt(p / (1 - p) / N);
        assertEquals(1.0, sum / N, 4 * meanSe, "mean output, p = " + p);
        assertEquals(1 - p, (double) kept / N, 4 * Math.sqrt(p * (1 - p) / N), "kept fraction, p = " + p);
    }

    @Test
    void keptElementsAreScaledAndGradientFlowsOnlyThroughThem() {
        double p = 0.3;
        Rng rng = new Rng(12);
        Tensor x = Tensor.uniform(rng, 0.5f, 2f, 40, 25).requiresGrad(true); // no zeros: y = 0 means dropped
        Tensor upstream = Tensor.randn(rng, 40, 25);
        Dropout dropout = new Dropout(p, new Rng(13));

        Tensor y = dropout.forward(x);
        y.backward(upstream, false);

        float scale = 1f / (1f - (float) p);
        int dropped = 0;
        for (int i = 0; i < x.numel(); i++) {
            if (y.data()[i] == 0f) {
                dropped++;
                assertEquals(0f, x.grad().data()[i], 0f, "gradient of dropped element " + i); // -0 allowed
            } else {
                assertEquals(x.data()[i] * scale, y.data()[i], 1e-6f * y.data()[i], "kept element " + i);
                assertEquals(upstream.data()[i] * scale, x.grad().data()[i], 1e-6f, "gradient of kept element " + i);
            }
        }
        assertTrue(dropped > 0 && dropped < x.numel(), "some dropped and some kept: " + dropped);
    }

    @Test
    void evaluationIsTheIdentity() {
        Dropout dropout = new Dropout(0.5, new Rng(14));
        dropout.eval();
        Tensor x = Tensor.randn(new Rng(15), 100);
        Tensor y = dropout.forward(x);
        assertArrayEquals(x.data(), y.data());
        dropout.train();
        assertTrue(countZeros(dropout.forward(x)) > 0, "training mode drops again");
    }

    @Test
    void theSameSeedGivesTheSameMask() {
        Tensor x = Tensor.ones(1000);
        assertArrayEquals(new Dropout(0.5, new Rng(16)).forward(x).data(), new Dropout(0.5, new Rng(16)).forward(x).data());
    }

    @Test
    void pZeroIsTheIdentityAndPOutsideZeroOneIsRejected() {
        Tensor x = Tensor.randn(new Rng(17), 50);
        assertSame(x, new Dropout(0, new Rng(18)).forward(x));
        for (double bad : new double[] {-0.1, 1.0, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(bad, new Rng(1)));
            assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
        }
    }

    private static int countZeros(Tensor t) {
        int n = 0;
        for (float v : t.data()) {
            n += v == 0f ? 1 : 0;
        }
        return n;
    }
}
