package dev.myelin.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels#shiftedGemmNT} on the Vector API as dot products: C(i, j) = Σ_t A(i, t)·B(j, t)
 * with both operands read in place along t, a 4 x 4 block of C at a time in 16 vector
 * accumulators,
 * <pre>acc[i][j] += A(i, t:t+VL) · B(j, t:t+VL)       (4 + 4 loads, 16 FMAs per step)</pre>
 * and the 16 accumulators summed across their lanes at the end in lane order ({@link #reduce}),
 * which keeps the result the same bits compiled or interpreted ({@code reduceLanes} may
 * associate differently in each, see {@link Lanes}). Columns past the last whole vector are
 * added one by one after that; the direct convolution's caller pads its rows to whole vectors
 * with zeros, so it has none. Blocks at the edges of C (m or n not a multiple of 4) are single
 * dot products.
 *
 * <p>This is the weight gradient of a direct convolution with few output channels: the
 * broadcast GEMM computes dW in tiles NR channels wide, so 16 channels on AVX-512 leave half of
 * each tile's lanes empty, and its other orientation needs colᵀ packed, a strided copy of the
 * whole unfolded matrix. Here no operand is copied and no lane is empty.
 */
final class ShiftedDots {
    private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
    private static final int VL = S.length();

    private ShiftedDots() {
    }

    /** See {@link Kernels#shiftedGemmNT}. */
    static void gemmNT(float[] a, int aOff, int lda, int m, int q, float[] x, int xBase, int[] off, int n,
                       float beta, float[] c, int cOff, int ldc) {
        float[] acc = new float[16 * VL];
        float[] sums = new float[16];
        int full = q - q % VL;
        for (int i = 0; i < m; i += 4) {
            for (int j = 0; j < n; j += 4) {
                if (i + 4 <= m && j + 4 <= n) {
                    block(a, aOff + i * lda, lda, full, x, xBase + off[j], xBase + off[j + 1], xBase + off[j + 2],
                            xBase + off[j + 3], acc);
                    reduce(acc, sums);
                    for (int l = 0; l < 16; l++) {
                        int ii = i + l / 4;
                        int jj = j + l % 4;
                        float s = sums[l] + tail(a, aOff + ii * lda, x, xBase + off[jj], full, q);
                        int ci = cOff + ii * ldc + jj;
                        c[ci] = beta == 0f ? s : s + beta * c[ci];
                    }
                } else {
                    for (int ii = i; ii < Math.min(m, i + 4); ii++) {
                        for (int jj = j; jj < Math.min(n, j + 4); jj++) {
                            float s = dot(a, aOff + ii * lda, x, xBase + off[jj], q);
                            int ci = cOff + ii * ldc + jj;
                            c[ci] = beta == 0f ? s : s + beta * c[ci];
                        }
                    }
                }
            }
        }
    }

    /**
     * The 16 accumulators of rows [ai, ai + 4·lda) of A against the slices at b0..b3 over the
     * first {@code full} columns (whole vectors), into {@code acc}, c00, c01, ..., c33
     * ({@link #reduce} sums them). Small on purpose: a masked last step in the same method made it
     * too large for C1 (out of virtual registers), and it then ran without the vector intrinsics.
     */
    private static void block(float[] a, int ai, int lda, int full, float[] x, int b0, int b1, int b2, int b3,
                              float[] acc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int a1 = ai + lda;
        int a2 = ai + 2 * lda;
        int a3 = ai + 3 * lda;
        for (int t = 0; t < full; t += VL) {
            FloatVector y0 = FloatVector.fromArray(S, x, b0 + t);
            FloatVector y1 = FloatVector.fromArray(S, x, b1 + t);
            FloatVector y2 = FloatVector.fromArray(S, x, b2 + t);
            FloatVector y3 = FloatVector.fromArray(S, x, b3 + t);
            FloatVector r = FloatVector.fromArray(S, a, ai + t);
            c00 = r.fma(y0, c00);
            c01 = r.fma(y1, c01);
            c02 = r.fma(y2, c02);
            c03 = r.fma(y3, c03);
            r = FloatVector.fromArray(S, a, a1 + t);
            c10 = r.fma(y0, c10);
            c11 = r.fma(y1, c11);
            c12 = r.fma(y2, c12);
            c13 = r.fma(y3, c13);
            r = FloatVector.fromArray(S, a, a2 + t);
            c20 = r.fma(y0, c20);
            c21 = r.fma(y1, c21);
            c22 = r.fma(y2, c22);
            c23 = r.fma(y3, c23);
            r = FloatVector.fromArray(S, a, a3 + t);
            c30 = r.fma(y0, c30);
            c31 = r.fma(y1, c31);
            c32 = r.fma(y2, c32);
            c33 = r.fma(y3, c33);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, VL);
        c02.intoArray(acc, 2 * VL);
        c03.intoArray(acc, 3 * VL);
        c10.intoArray(acc, 4 * VL);
        c11.intoArray(acc, 5 * VL);
        c12.intoArray(acc, 6 * VL);
        c13.intoArray(acc, 7 * VL);
        c20.intoArray(acc, 8 * VL);
        c21.intoArray(acc, 9 * VL);
        c22.intoArray(acc, 10 * VL);
        c23.intoArray(acc, 11 * VL);
        c30.intoArray(acc, 12 * VL);
        c31.intoArray(acc, 13 * VL);
        c32.intoArray(acc, 14 * VL);
        c33.intoArray(acc, 15 * VL);
    }

    /**
     * sums[k] = Σ_l acc[k·VL + l], lane by lane in order for each of the 16 accumulators (the
     * order {@link Lanes#sum} uses). Scalar on purpose: a tree of two-vector shuffles made the
     * compiled caller pass C2's node-count cutoff, and the shuffles it then left as calls ran on
     * boxed vectors, slower than these 16·VL adds.
     */
    private static void reduce(float[] acc, float[] sums) {
        java.util.Arrays.fill(sums, 0f);
        for (int l = 0; l < VL; l++) {
            for (int k = 0; k < 16; k++) {
                sums[k] += acc[k * VL + l];
            }
        }
    }

    /** Σ a[ai + t]·x[bi + t] over the columns t in [from, q) past the last whole vector, in order. */
    private static float tail(float[] a, int ai, float[] x, int bi, int from, int q) {
        float s = 0f;
        for (int t = from; t < q; t++) {
            s += a[ai + t] * x[bi + t];
        }
        return s;
    }

    /** Σ_t a[ai + t]·x[bi + t] over t < q, summed across lanes in lane order. */
    private static float dot(float[] a, int ai, float[] x, int bi, int q) {
        FloatVector acc = FloatVector.zero(S);
        int full = q - q % VL;
        for (int t = 0; t < full; t += VL) {
            acc = FloatVector.fromArray(S, a, ai + t).fma(FloatVector.fromArray(S, x, bi + t), acc);
        }
        if (full < q) {
            VectorMask<Float> in = S.indexInRange(full, q);
            acc = FloatVector.fromArray(S, a, ai + full, in).fma(FloatVector.fromArray(S, x, bi + full, in), acc);
        }
        return Lanes.sum(acc);
    }
}
