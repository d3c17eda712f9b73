package dev.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link VectorKernels#gemm} against {@link ScalarKernels#gemm}: all four transpose
 * combinations, odd shapes on both the small and the packed path (and the narrow-C path that
 * computes Cᵀ), leading dimensions wider than the matrices, nonzero offsets, beta 0 over a C
 * full of NaN and beta 1 and 0.5, on one and two threads.
 */
class VectorGemmTest {
    private static final int[][] SHAPES = {
        {1, 1, 1}, {7, 13, 1}, {1, 7, 13}, {13, 7, 33}, {33, 100, 13}, {100, 33, 257},
        {257, 100, 33}, {7, 257, 100}, {128, 10, 256}, {257, 13, 100}, {15, 301, 40}, {100, 32, 32},
        {130, 1030, 270}, {16, 100, 40}, {40, 16, 33},
    };
    private static final float OUTSIDE = 12345f;
    private final int originalThreads = Parallel.threads();
    private final Kernels ref = new ScalarKernels();
    private final Kernels vec = VectorKernels.createIfSupported();

    @BeforeEach
    void requireVectorKernels() {
        assumeTrue(vec != null, "the vector kernels decline species under 256 bits");
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(originalThreads);
    }

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                for (float beta : new float[] {0f, 1f, 0.5f}) {
                    cases.add(Arguments.of((t & 2) != 0, (t & 1) != 0, s[0], s[1], s[2], beta));
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} beta={5}")
    @MethodSource("cases")
    void matchesTheReference(boolean transA, boolean transB, int m, int n, int k, float beta) {
        Problem p = new Problem(transA, transB, m, n, k, beta);
        float[] want = p.run(ref);
        float[] oneThread = null;
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            float[] got = p.run(vec);
            assertArrayEquals(got, p.run(vec), "repeated call on " + threads + " threads");
            p.check(want, got);
            if (oneThread == null) {
                oneThread = got;
            } else {
                assertArrayEquals(oneThread, got, "the split does not change the summation order");
            }
        }
    }

    /** One gemm call with padded leading dimensions and offsets, and a reference bound. */
    private record Problem(boolean transA, boolean transB, int m, int n, int k, float beta,
                           float[] a, float[] b, float[] c0, int lda, int ldb, int ldc) {
        static final int AOFF = 5;
        static final int BOFF = 7;
        static final int COFF = 11;

        Problem(boolean transA, boolean transB, int m, int n, int k, float beta) {
            this(transA, transB, m, n, k, beta,
                    VectorKernelsTest.random(m * 31L + k, AOFF + (transA ? k : m) * ((transA ? m : k) + 3), -1f, 1f),
                    VectorKernelsTest.random(n * 17L + k, BOFF + (transB ? n : k) * ((transB ? k : n) + 2), -2f, 2f),
                    initialC(m, n, beta), (transA ? m : k) + 3, (transB ? k : n) + 2, n + 4);
        }

        private static float[] initialC(int m, int n, float beta) {
            int ldc = n + 4;
            float[] c = new float[COFF + m * ldc];
            Arrays.fill(c, OUTSIDE);
            float[] inside = VectorKernelsTest.random(m + 3L * n, m * n, -1f, 1f);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c[COFF + i * ldc + j] = beta == 0f ? Float.NaN : inside[i * n + j];
                }
            }
            return c;
        }

        float[] run(Kernels kernels) {
            float[] c = c0.clone();
            kernels.gemm(transA, transB, m, n, k, a, AOFF, lda, b, BOFF, ldb, beta, c, COFF, ldc);
            return c;
        }

        /** |got - want| <= 1e-5 · (k · max|a| · max|b| + |beta| · max|C|) inside C; untouched outside. */
        void check(float[] want, float[] got) {
            double tol = 1e-5 * (k * 1.0 * 2.0 + Math.abs(beta));
            for (int idx = 0; idx < got.length; idx++) {
                int i = (idx - COFF) / ldc;
                int j = (idx - COFF) % ldc;
                boolean inside = idx >= COFF && i < m && j < n;
                if (!inside) {
                    assertEquals(OUTSIDE, got[idx], "element outside C at " + idx + " was written");
                } else if (!(Math.abs(got[idx] - want[idx]) <= tol)) {
                    fail("C[" + i + "," + j + "]: expected " + want[idx] + " (scalar), got " + got[idx]
                            + ", tolerance " + tol);
                }
            }
        }
    }
}
