package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.GradCheck;
import dev.myelin.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The Gaussian NLL with a learned variance: its gradient, its minimum and its errors (PyTorch's values: LossGoldenTest). */
class GaussianNllTest {
    private static final Loss NLL = Loss.gaussianNll(Loss.GaussianNllOptions.defaults());

    @Test
    void gradientCheck() {
        Tensor y = Tensor.of(new float[] {0.3f, -1.2f, 0.8f, 2.0f, -0.4f, 0.1f}, 3, 2);
        GradCheck.DEFAULT.check("gaussian_nll", t -> NLL.apply(t[0], y),
                Tensor.of(new float[] {0.1f, -0.9f, 0.4f, -0.3f, 1.5f, 0.2f, 0.7f, -1.1f, 0.0f, 0.3f, -0.5f, 0.9f},
                        3, 4).requiresGrad(true));
    }

    @Test
    void theMinimumOverTheVarianceIsTheSquaredError() {
        // For one sample, 1/2 (log v + d^2/v) is least at v = d^2: the loss learns the squared error's scale.
        float d = 1.5f;
        double best = Double.POSITIVE_INFINITY;
        double argBest = 0;
        for (double v = 0.5; v < 5; v += 0.001) {
            double raw = Math.log(Math.expm1(v)); // softplus^-1
            double l = NLL.apply(Tensor.of(new float[] {d, (float) raw}, 1, 2), Tensor.of(new float[] {0}, 1)).item();
            if (l < best) {
                best = l;
                argBest = v;
            }
        }
        assertEquals(d * d, argBest, 0.01);
        assertEquals(0.5 * (Math.log(d * d) + 1), best, 1e-4);
    }

    @Test
    void refusesAPredictionWithoutAVarianceColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NLL.apply(Tensor.of(new float[] {1, 2, 3}, 1, 3), Tensor.of(new float[] {0}, 1)));
        assertTrue(e.getMessage().contains("[N, 2k]") && e.getMessage().contains("[1, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Loss.GaussianNllOptions(0, false));
        assertEquals(4.0, Loss.gaussianVariance(Tensor.of(new float[] {7, (float) Math.log(Math.expm1(4))}, 1, 2))
                .item(), 1e-5);
    }
}
