package dev.myelin.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The unpacked paths of {@link VectorGemm}: products too small for packing to pay
 * (m·n·k under {@link VectorGemm#SMALL}), and k = 0. Single-threaded.
 */
final class GemmSmall {
    private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
    private static final int VL = S.length();

    private GemmSmall() {
    }

    /** C = beta · C, with beta = 0 writing zeros (NaN in C included). */
    static void scale(Strided c, int m, int n, float beta) {
        float[] cd = c.data();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = c.index(i, j);
                cd[ci] = beta == 0f ? 0f : beta * cd[ci];
            }
        }
    }

    /**
     * C = A · B + beta · C. With B's rows contiguous, each row of C accumulates
     * {@code C[i, :] += A(i, p) · B[p, :]} in vector lanes; otherwise each element is a dot
     * product along k.
     */
    static void multiply(Strided a, Strided b, Strided c, int m, int n, int k, float beta) {
        scale(c, m, n, beta);
        if (b.cs() == 1 && c.cs() == 1) {
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    axpyRow(a.data()[a.index(i, p)], b.data(), b.index(p, 0), c.data(), c.index(i, 0), n);
                }
            }
        } else {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c.data()[c.index(i, j)] += dot(a.at(i, 0), b.at(0, j), k);
                }
            }
        }
    }

    /** y[0:n] += alpha · x[0:n]. */
    private static void axpyRow(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += VL) {
            av.fma(FloatVector.fromArray(S, x, xo + j), FloatVector.fromArray(S, y, yo + j)).intoArray(y, yo + j);
        }
        for (; j < n; j++) {
            y[yo + j] = Math.fma(alpha, x[xo + j], y[yo + j]);
        }
    }

    /** Σ_p A(0, p) · B(p, 0), in vector lanes when both are contiguous along k. */
    private static float dot(Strided a, Strided b, int k) {
        float[] ad = a.data();
        float[] bd = b.data();
        int ao = a.off();
        int bo = b.off();
        int p = 0;
        float s = 0f;
        if (a.cs() == 1 && b.rs() == 1) {
            FloatVector acc = FloatVector.zero(S);
            for (int bound = S.loopBound(k); p < bound; p += VL) {
                acc = FloatVector.fromArray(S, ad, ao + p).fma(FloatVector.fromArray(S, bd, bo + p), acc);
            }
            s = Lanes.sum(acc);
        }
        for (; p < k; p++) {
            s = Math.fma(ad[ao + p * a.cs()], bd[bo + p * b.rs()], s);
        }
        return s;
    }
}
