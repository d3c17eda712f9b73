package dev.myelin.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.nn.Linear;
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Closed-form least squares: exact recovery, the normal equations' optimality, rank deficiency, and SGD's limit. */
class LinearRegressionTest {
    private static float[] features(int m, int p, long seed) {
        Random r = new Random(seed);
        float[] x = new float[m * p];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static float[] targets(float[] x, int m, int p, double[] w, double b, double noise, long seed) {
        Random r = new Random(seed);
        float[] y = new float[m];
        for (int i = 0; i < m; i++) {
            double s = b + noise * r.nextGaussian();
            for (int j = 0; j < p; j++) {
                s += w[j] * x[i * p + j];
            }
            y[i] = (float) s;
        }
        return y;
    }

    @Test
    void bothSolversRecoverANoiselessLine() {
        float[] x = features(50, 2, 1);
        float[] y = targets(x, 50, 2, new double[] {2, -3}, 0.5, 0, 2);
        for (LinearRegression.Fit f : List.of(LinearRegression.normalEquations(x, y, 50, 2),
                LinearRegression.lstsq(x, y, 50, 2))) {
            assertEquals(2, f.weights()[0], 1e-5);
            assertEquals(-3, f.weights()[1], 1e-5);
            assertEquals(0.5, f.bias(), 1e-5);
            assertEquals(3, f.rank());
        }
    }

    @Test
    void theResidualIsOrthogonalToEveryColumn() {
        int m = 200;
        int p = 4;
        float[] x = features(m, p, 3);
        float[] y = targets(x, m, p, new double[] {1, 0.5, -2, 0}, 1, 0.3, 4);
        LinearRegression.Fit ne = LinearRegression.normalEquations(x, y, m, p);
        LinearRegression.Fit ls = LinearRegression.lstsq(x, y, m, p);
        for (int j = 0; j < p; j++) {
            assertEquals(ne.weights()[j], ls.weights()[j], 1e-9);
        }
        assertEquals(ne.bias(), ls.bias(), 1e-9);
        for (int j = 0; j <= p; j++) { // Aᵀ(y − Aθ) = 0: the normal equations themselves
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += (j < p ? x[i * p + j] : 1) * (y[i] - ne.predict(x, i * p));
            }
            assertEquals(0, s, 1e-3, "column " + j);
        }
    }

    @Test
    void dependentFeaturesNeedLstsqWhichGivesTheLeastNorm() {
        int m = 40;
        float[] one = features(m, 1, 5);
        float[] x = new float[2 * m];
        for (int i = 0; i < m; i++) { // the same feature twice
            x[2 * i] = one[i];
            x[2 * i + 1] = one[i];
        }
        float[] y = targets(one, m, 1, new double[] {4}, -1, 0, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearRegression.normalEquations(x, y, m, 2));
        assertTrue(e.getMessage().contains("linearly dependent") && e.getMessage().contains("lstsq"), e.getMessage());
        LinearRegression.Fit f = LinearRegression.lstsq(x, y, m, 2);
        assertEquals(2, f.rank());
        assertEquals(2, f.weights()[0], 1e-5, "the least-norm split of w = 4 over two equal columns");
        assertEquals(2, f.weights()[1], 1e-5);
        assertEquals(-1, f.bias(), 1e-5);
    }

    @Test
    void fullBatchGradientDescentOnTheMeanSquaredErrorConvergesToTheClosedForm() {
        int m = 64;
        int p = 3;
        float[] x = features(m, p, 7);
        float[] y = targets(x, m, p, new double[] {0.7, -1.2, 0.4}, 0.3, 0.2, 8);
        LinearRegression.Fit exact = LinearRegression.normalEquations(x, y, m, p);
        Linear model = new Linear(p, 1, new Rng(9));
        Sgd sgd = new Sgd(model.parameters(), Sgd.Options.of(0.1));
        Tensor xt = Tensor.of(x, m, p);
        Tensor yt = Tensor.of(y, m, 1);
        for (int step = 0; step < 2000; step++) {
            sgd.zeroGrad();
            Tensor d = model.forward(xt).sub(yt);
            d.mul(d).mean().backward();
            sgd.step();
        }
        for (int j = 0; j < p; j++) {
            assertEquals(exact.weights()[j], model.weight().data()[j], 1e-4, "weight " + j);
        }
        assertEquals(exact.bias(), model.bias().data()[0], 1e-4);
    }

    /**
     * Golden values from PyTorch 1.13 (float64): {@code torch.linalg.lstsq(A, y, driver='gelsd')}
     * for A = [X 1], and {@code torch.linalg.pinv(A) @ y} with a column that is twice another.
     */
    @Test
    void matchesTorchsLstsqAndPinv() {
        float[] x = {0.5f, 1.0f, 1.5f, -2.0f, -1.0f, 0.25f, 2.0f, 3.0f, 0.0f, -1.5f, -2.5f, 0.75f};
        float[] y = {1.0f, -0.5f, 2.0f, 0.25f, -1.0f, 3.5f};
        LinearRegression.Fit f = LinearRegression.lstsq(x, y, 6, 2);
        assertEquals(-0.8371591541457982, f.weights()[0], 1e-9);
        assertEquals(0.4308453904655911, f.weights()[1], 1e-9);
        assertEquals(0.8370519152290854, f.bias(), 1e-9);
        float[] dependent = new float[18];
        for (int i = 0; i < 6; i++) {
            dependent[3 * i] = x[2 * i];
            dependent[3 * i + 1] = 2 * x[2 * i];
            dependent[3 * i + 2] = x[2 * i + 1];
        }
        LinearRegression.Fit d = LinearRegression.lstsq(dependent, y, 6, 3);
        assertEquals(3, d.rank(), "torch.linalg.matrix_rank");
        assertEquals(-0.16743183082915986, d.weights()[0], 1e-9);
        assertEquals(-0.33486366165831966, d.weights()[1], 1e-9);
        assertEquals(0.4308453904655908, d.weights()[2], 1e-9);
        assertEquals(0.8370519152290854, d.bias(), 1e-9);
    }
}
