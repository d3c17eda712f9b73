package dev.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused Adam kernel: the Vector API version equals the scalar reference bit for bit at odd
 * sizes (with and without coupled weight decay and AMSGrad, and over several steps so the
 * moments and the AMSGrad maximum evolve), and the reference computes the formula of
 * {@link Kernels#adam}, checked on one element in double precision.
 */
class AdamKernelTest {
    private final Kernels ref = new ScalarKernels();
    private final Kernels vec = VectorKernels.createIfSupported();

    @ParameterizedTest(name = "n={0} wd={1} amsgrad={2}")
    @CsvSource({"1,0,false", "7,0.1,true", "13,0,true", "100,0.01,false", "207,0,false", "1023,0.5,true",
            "524301,0.1,true"})
    void vectorMatchesScalarExactly(int n, float wd, boolean amsgrad) {
        assumeTrue(vec != null, "the vector kernels decline species under 256 bits");
        float[] p1 = VectorKernelsTest.random(1, n, -2f, 2f);
        float[] p2 = p1.clone();
        float[][] s1 = {new float[n], new float[n], amsgrad ? new float[n] : null};
        float[][] s2 = {new float[n], new float[n], amsgrad ? new float[n] : null};
        for (int t = 1; t <= 4; t++) {
            float[] g = VectorKernelsTest.random(10 + t, n, -3f, 3f);
            AdamStep c = AdamStep.of(1e-2, 0.9, 0.999, 1e-8, wd, t);
            ref.adam(p1, g, s1[0], s1[1], s1[2], n, c);
            vec.adam(p2, g, s2[0], s2[1], s2[2], n, c);
            assertArrayEquals(p1, p2, "param after step " + t);
            assertArrayEquals(s1[0], s2[0], "exp_avg after step " + t);
            assertArrayEquals(s1[1], s2[1], "exp_avg_sq after step " + t);
            if (amsgrad) {
                assertArrayEquals(s1[2], s2[2], "max_exp_avg_sq after step " + t);
            }
        }
    }

    @ParameterizedTest(name = "amsgrad={0}")
    @CsvSource({"false", "true"})
    void referenceComputesTheDocumentedFormula(boolean amsgrad) {
        double p = 0.5;
        double g = -0.3;
        double m = 0.02;
        double v = 0.4; // larger than the new v, so AMSGrad keeps it
        double lr = 0.01;
        double wd = 0.1;
        int t = 3;
        float[] pa = {(float) p};
        float[] ma = {(float) m};
        float[] va = {(float) v};
        float[] vmax = amsgrad ? new float[] {(float) v} : null;
        ref.adam(pa, new float[] {(float) g}, ma, va, vmax, 1, AdamStep.of(lr, 0.9, 0.999, 1e-8, wd, t));
        double gi = g + wd * p;
        double m1 = 0.9 * m + 0.1 * gi;
        double v1 = 0.999 * v + 0.001 * gi * gi;
        double vhat = amsgrad ? Math.max(v, v1) : v1;
        double want = p - lr / (1 - Math.pow(0.9, t)) * m1 / (Math.sqrt(vhat) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8);
        assertEquals(m1, ma[0], 1e-7);
        assertEquals(v1, va[0], 1e-7);
        assertEquals(want, pa[0], 1e-6);
    }
}
