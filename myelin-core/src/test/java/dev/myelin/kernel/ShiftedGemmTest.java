package dev.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kernels#shiftedGemm} and {@link Kernels#shiftedGemmNT} on both implementations against a product in double: A with a row
 * stride wider than k and an offset, B's rows as overlapping slices of one array at arbitrary
 * offsets (the last block of columns part-filled), k past one block of the vector GEMM (256),
 * beta 0 over NaN and beta 1; elements of C outside the product are left alone.
 */
class ShiftedGemmTest {
    private static final float OUTSIDE = 12345f;

    static Stream<int[]> shapes() {
        return Stream.of(new int[] {1, 1, 1}, new int[] {3, 17, 5}, new int[] {16, 49, 144},
                new int[] {17, 33, 300}, new int[] {64, 49, 576}, new int[] {5, 16, 9});
    }

    static List<Kernels> kernels() {
        Kernels vec = VectorKernels.createIfSupported();
        return vec == null ? List.of(new ScalarKernels()) : List.of(new ScalarKernels(), vec);
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void matchesTheProduct(int[] shape) {
        int m = shape[0];
        int n = shape[1];
        int k = shape[2];
        int lda = k + 3;
        int aOff = 5;
        int ldc = n + 2;
        int cOff = 7;
        float[] a = VectorKernelsTest.random(11, aOff + m * lda, -1f, 1f);
        int xBase = 3;
        int[] offsets = new int[k];
        java.util.Random rnd = new java.util.Random(k * 31 + n);
        for (int p = 0; p < k; p++) {
            offsets[p] = rnd.nextInt(2 * n + 5); // overlapping slices, in no order
        }
        float[] x = VectorKernelsTest.random(12, xBase + 2 * n + 5 + n + 64, -1f, 1f);
        float[] c0 = VectorKernelsTest.random(13, cOff + m * ldc, -1f, 1f);
        for (Kernels kern : kernels()) {
            float[] packedA = kern.packPanelA(a, aOff, lda, m, k);
            for (float beta : new float[] {0f, 1f}) {
                float[] c = startingC(c0, m, n, cOff, ldc, beta);
                kern.shiftedGemm(packedA, m, n, k, x, xBase, offsets, beta, c, cOff, ldc);
                assertProduct(kern.name() + " " + Arrays.toString(shape) + " beta " + beta, c, c0, m, n, cOff, ldc,
                        beta, (r, col) -> {
                            double s = 0;
                            for (int p = 0; p < k; p++) {
                                s += (double) a[aOff + r * lda + p] * x[xBase + offsets[p] + col];
                            }
                            return s;
                        });
            }
        }
    }

    /** m, n, q for the dot products: whole 4 x 4 blocks and edges, q below, at and past a vector, with a tail. */
    static Stream<int[]> dotShapes() {
        return Stream.of(new int[] {1, 1, 1}, new int[] {4, 4, 16}, new int[] {16, 144, 840}, new int[] {5, 9, 63},
                new int[] {7, 6, 17}, new int[] {16, 8, 224}, new int[] {3, 13, 5});
    }

    @ParameterizedTest
    @MethodSource("dotShapes")
    void dotProductsMatchTheProduct(int[] shape) {
        int m = shape[0];
        int n = shape[1];
        int q = shape[2];
        int lda = q + 3;
        int aOff = 2;
        int ldc = n + 1;
        int cOff = 4;
        int xBase = 5;
        int[] offsets = new int[n];
        java.util.Random rnd = new java.util.Random(m * 131 + n * 7 + q);
        for (int j = 0; j < n; j++) {
            offsets[j] = rnd.nextInt(q + 9);
        }
        float[] a = VectorKernelsTest.random(21, aOff + m * lda, -1f, 1f);
        float[] x = VectorKernelsTest.random(22, xBase + q + 9 + q, -1f, 1f);
        float[] c0 = VectorKernelsTest.random(23, cOff + m * ldc, -1f, 1f);
        for (Kernels kern : kernels()) {
            for (float beta : new float[] {0f, 1f}) {
                float[] c = startingC(c0, m, n, cOff, ldc, beta);
                kern.shiftedGemmNT(a, aOff, lda, m, q, x, xBase, offsets, n, beta, c, cOff, ldc);
                assertProduct(kern.name() + " " + Arrays.toString(shape) + " beta " + beta, c, c0, m, n, cOff, ldc,
                        beta, (r, col) -> {
                            double s = 0;
                            for (int t = 0; t < q; t++) {
                                s += (double) a[aOff + r * lda + t] * x[xBase + offsets[col] + t];
                            }
                            return s;
                        });
            }
        }
    }

    /** C as a product finds it: OUTSIDE around it, NaN inside for beta 0 (must be ignored), else c0. */
    private static float[] startingC(float[] c0, int m, int n, int cOff, int ldc, float beta) {
        float[] c = new float[c0.length];
        Arrays.fill(c, OUTSIDE);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * ldc + j] = beta == 0f ? Float.NaN : c0[cOff + i * ldc + j];
            }
        }
        return c;
    }

    /** One element of the expected product, in double. */
    interface ProductElement {
        double at(int r, int col);
    }

    /** C(r, col) = product(r, col) + beta·c0 inside the product, to 1e-4 relative; OUTSIDE untouched around it. */
    private static void assertProduct(String what, float[] c, float[] c0, int m, int n, int cOff, int ldc, float beta,
                                      ProductElement product) {
        for (int i = 0; i < c.length; i++) {
            int r = (i - cOff) / ldc;
            int col = (i - cOff) % ldc;
            if (i < cOff || r >= m || col >= n) {
                assertEquals(OUTSIDE, c[i], what + ": C[" + i + "] outside the product was written");
                continue;
            }
            double want = beta * c0[i] + product.at(r, col);
            assertTrue(Math.abs(want - c[i]) <= 1e-4 * (1 + Math.abs(want)),
                    what + ": C(" + r + ", " + col + ") expected " + want + ", got " + c[i]);
        }
    }
}
