package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.GradCheck;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AlphaDropout keeps a standard normal input standard normal in mean and variance (the SELU fixed point). */
class AlphaDropoutTest {
    private static final int N = 200_000;

    /**
     * Mean and variance of the output over 200,000 standard normal inputs: the mean within 5
     * standard errors of 0 (SE = 1/√N), the variance within 5 standard errors of 1 (the
     * output's fourth moment is at most ~6 for these p, so SE(var) ≤ √(5/N) ≈ 0.005). Plain
     * dropout at p = 0.5 would give variance 2, far outside.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.2, 0.5})
    void meanAndVarianceOfAStandardNormalAreKept(double p) {
        Tensor x = Tensor.randn(new Rng(21), N);
        float[] y = new AlphaDropout(p, new Rng(22)).forward(x).data();
        double sum = 0;
        double sq = 0;
        for (float v : y) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / N;
        double var = sq / N - mean * mean;
        assertEquals(0, mean, 5 / Math.sqrt(N), "mean, p = " + p);
        assertEquals(1, var, 5 * Math.sqrt(5.0 / N), "variance, p = " + p);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.5})
    void gradientFlowsOnlyThroughKeptUnitsScaledByA(double p) {
        Tensor x = Tensor.randn(new Rng(23), 30, 20).requiresGrad(true);
        Tensor keep = Tensor.bernoulli(new Rng(24), 1 - p, 30, 20);
        Tensor y = AlphaDropout.applyMask(x, keep, p);
        y.backward(Tensor.ones(30, 20), false);
        double alpha = AlphaDropout.SELU_NEGATIVE_SATURATION;
        double a = 1 / Math.sqrt((1 - p) * (1 + p * alpha * alpha));
        double dropped = -a * alpha + a * alpha * p;
        for (int i = 0; i < x.numel(); i++) {
            boolean kept = keep.data()[i] == 1f;
            assertEquals(kept ? a : 0, x.grad().data()[i], 1e-6, "gradient " + i);
            assertEquals(kept ? a * x.data()[i] + a * alpha * p : dropped, y.data()[i], 1e-5, "output " + i);
        }
        GradCheck.DEFAULT.check("AlphaDropout", t -> AlphaDropout.applyMask(t[0], keep, p),
                Tensor.randn(new Rng(25), 30, 20).requiresGrad(true));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.3})
    void evaluationIsTheIdentity(double p) {
        AlphaDropout d = new AlphaDropout(p, new Rng(26));
        Tensor x = Tensor.randn(new Rng(27), 10);
        d.eval();
        assertSame(x, d.forward(x));
        d.train();
        assertTrue(p == 0 ? d.forward(x) == x : d.forward(x) != x);
    }
}
