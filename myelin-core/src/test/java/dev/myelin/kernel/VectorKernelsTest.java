package dev.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The element-wise and reduction kernels of {@link VectorKernels} against {@link ScalarKernels}
 * at odd sizes (Lucene's 1, 7, 13, 100, 207, 1023) and offsets, plus one size large enough to
 * be split across threads. The matrix multiply has its own test, {@link VectorGemmTest}.
 */
class VectorKernelsTest {
    private static final int AO = 3;
    private static final int BO = 5;
    private static final int OO = 2;
    private static final int SPLIT_SIZE = (1 << 19) + 13;

    private final Kernels ref = new ScalarKernels();
    private final Kernels vec = VectorKernels.createIfSupported();

    @BeforeEach
    void requireVectorKernels() {
        assumeTrue(vec != null, "the vector kernels decline species under 256 bits");
    }

    static float[] random(long seed, int n, float lo, float hi) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * r.nextFloat();
        }
        return x;
    }

    /** Random values with the edge cases ReLU and max care about sprinkled in. */
    private static float[] withSpecials(long seed, int n) {
        float[] x = random(seed, n, -2f, 2f);
        float[] specials = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY};
        for (int i = 0; i < specials.length && 7 * i + AO < n; i++) {
            x[7 * i + AO] = specials[i];
        }
        return x;
    }

    /**
     * Batch norm's fused sweeps give the bits of the kernels they fuse, on both kernel sets, at
     * sizes around the vector width and with offsets: the composed defaults are the reference.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 17, 33, 63, 784, 1001})
    void batchNormsFusedSweepsMatchTheComposedKernels(int n) {
        for (Kernels k : new Kernels[] {vec, ref}) {
            float[] x = withSpecials(n, n + AO);
            float[] h = x.clone();
            float[] y = new float[n + OO];
            k.normalizeAffine(h, AO, 0.37f, -1.3f, 0.25f, y, OO, n);
            float[] h2 = x.clone();
            float[] y2 = new float[n + OO];
            k.affine(h2, AO, 0.37f, 0f, h2, AO, n);
            k.affine(h2, AO, -1.3f, 0.25f, y2, OO, n);
            assertArrayEquals(h2, h, k + ": x̂");
            assertArrayEquals(y2, y, k + ": y");

            float[] dy = random(n + 1, n + AO, -1f, 1f);
            float[] xhat = random(n + 2, n + BO, -2f, 2f);
            float[] sums = new float[2];
            k.sumAndDot(dy, AO, xhat, BO, n, sums);
            assertEquals(Float.floatToIntBits(k.sum(dy, AO, n)), Float.floatToIntBits(sums[0]), k + ": Σdy");
            assertEquals(Float.floatToIntBits(k.dot(dy, AO, xhat, BO, n)), Float.floatToIntBits(sums[1]), k + ": Σdy·x̂");

            float[] dx = new float[n + OO];
            k.normGrad(dy, AO, 0.8f, -0.05f, 0.3f, xhat, BO, dx, OO, n);
            float[] dx2 = new float[n + OO];
            k.affine(dy, AO, 0.8f, -0.05f, dx2, OO, n);
            k.axpy(0.3f, xhat, BO, dx2, OO, n);
            assertArrayEquals(dx2, dx, k + ": dx");
        }
    }

    @Test
    void providerChoosesVectorKernelsWhenTheModuleIsPresent() {
        assumeTrue(FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256, "CPU has narrower vectors");
        assumeTrue(!"scalar".equalsIgnoreCase(System.getProperty("myelin.kernels")));
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "surefire should pass --add-modules jdk.incubator.vector");
        assertInstanceOf(VectorKernels.class, KernelProvider.get());
        assertTrue(KernelProvider.get().name().startsWith("vector("), KernelProvider.get().name());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 13, 100, 207, 1023, SPLIT_SIZE})
    void binaryOpsMatchTheReferenceExactly(int n) {
        float[] a = withSpecials(1, n + AO);
        float[] b = random(2, n + BO, 0.5f, 3f);
        for (String op : new String[] {"add", "sub", "mul", "div"}) {
            float[] want = new float[n + OO];
            float[] got = new float[n + OO];
            binary(ref, op, a, b, want, n);
            binary(vec, op, a, b, got, n);
            assertArrayEquals(want, got, op + " n=" + n);
        }
    }

    private static void binary(Kernels k, String op, float[] a, float[] b, float[] out, int n) {
        switch (op) {
            case "add" -> k.add(a, AO, b, BO, out, OO, n);
            case "sub" -> k.sub(a, AO, b, BO, out, OO, n);
            case "mul" -> k.mul(a, AO, b, BO, out, OO, n);
            default -> k.div(a, AO, b, BO, out, OO, n);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 13, 100, 207, 1023, SPLIT_SIZE})
    void affineAxpyReluMatchTheReferenceExactly(int n) {
        float[] a = withSpecials(3, n + AO);
        float[] g = random(4, n + BO, -1f, 1f);
        float[] want = new float[n + OO];
        float[] got = new float[n + OO];
        ref.affine(a, AO, -1.5f, 0.25f, want, OO, n);
        vec.affine(a, AO, -1.5f, 0.25f, got, OO, n);
        assertArrayEquals(want, got, "affine");
        ref.relu(a, AO, want, OO, n);
        vec.relu(a, AO, got, OO, n);
        assertArrayEquals(want, got, "relu");
        ref.reluBackward(a, AO, g, BO, want, OO, n);
        vec.reluBackward(a, AO, g, BO, got, OO, n);
        assertArrayEquals(want, got, "reluBackward");
        float[] y1 = random(5, n + OO, -1f, 1f);
        float[] y2 = y1.clone();
        ref.axpy(0.75f, g, BO, y1, OO, n);
        vec.axpy(0.75f, g, BO, y2, OO, n);
        assertArrayEquals(y1, y2, "axpy");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 13, 100, 207, 1023, SPLIT_SIZE})
    void expMatchesTheReferenceWithinTwoUlps(int n) {
        float[] a = random(6, n + AO, -20f, 20f);
        float[] want = new float[n + OO];
        float[] got = new float[n + OO];
        ref.exp(a, AO, want, OO, n);
        vec.exp(a, AO, got, OO, n);
        for (int i = OO; i < n + OO; i++) {
            assertEquals(want[i], got[i], 2 * Math.ulp(want[i]), "exp at " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 13, 100, 207, 1023, SPLIT_SIZE})
    void reductionsMatchTheReference(int n) {
        float[] a = random(7, n + AO, -1f, 1f);
        float[] b = random(8, n + BO, -1f, 1f);
        double absSum = 0;
        double absDot = 0;
        for (int i = 0; i < n; i++) {
            absSum += Math.abs(a[AO + i]);
            absDot += Math.abs(a[AO + i] * b[BO + i]);
        }
        assertEquals(ref.sum(a, AO, n), vec.sum(a, AO, n), 1e-5 * absSum, "sum");
        assertEquals(ref.dot(a, AO, b, BO, n), vec.dot(a, AO, b, BO, n), 1e-5 * absDot, "dot");
        assertEquals(ref.max(a, AO, n), vec.max(a, AO, n), "max");
    }

    @Test
    void maxPropagatesNaNAndFindsTheLastLane() {
        float[] a = random(9, 1023, -1f, 1f);
        a[1022] = 5f;
        assertEquals(5f, vec.max(a, 0, 1023));
        a[500] = Float.NaN;
        assertTrue(Float.isNaN(vec.max(a, 0, 1023)));
        assertTrue(Float.isNaN(ref.max(a, 0, 1023)));
    }

    @Test
    void outputMayAliasAnInput() {
        float[] a = random(10, 1023, -1f, 1f);
        float[] b = random(11, 1023, -1f, 1f);
        float[] want = new float[1023];
        ref.add(a, 0, b, 0, want, 0, 1023);
        vec.add(a, 0, b, 0, a, 0, 1023);
        assertArrayEquals(want, a);
    }

    /**
     * copyRows at widths below, at and past one vector, between strides wider and narrower than
     * the width, up to the arrays' last element: the same as the reference, nothing outside the
     * rows' widths written.
     */
    @Test
    void copyRowsWritesOnlyTheRows() {
        for (int width : new int[] {1, 7, 14, 16, 28, 33}) {
            for (int[] strides : new int[][] {{width, width + 2}, {width + 2, width}, {width + 5, width + 5}}) {
                int rows = 5;
                float[] src = random(width, 1 + (rows - 1) * strides[0] + width, -1f, 1f);
                float[] want = new float[3 + (rows - 1) * strides[1] + width];
                java.util.Arrays.fill(want, 7f);
                float[] got = want.clone();
                ref.copyRows(src, 1, strides[0], want, 3, strides[1], rows, width);
                vec.copyRows(src, 1, strides[0], got, 3, strides[1], rows, width);
                assertArrayEquals(want, got, "width " + width + ", strides " + java.util.Arrays.toString(strides));
            }
        }
    }
}
