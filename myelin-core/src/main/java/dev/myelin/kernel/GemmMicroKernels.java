package dev.myelin.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked micro-kernels of {@link VectorGemm}: an MR x NR tile of C, NR = two
 * vectors, held in MR x 2 accumulators over kc steps of
 * <pre>tile[i][0:NR] += A(i, p) · B(p, 0:NR)      for i in [0, MR)</pre>
 * (one broadcast of A per row, two loads of B and 2·MR FMAs per step; Goto and van de Geijn
 * 2008, section 5). The accumulators are separate locals, not an array, so that C2 keeps them in
 * registers; the result goes to a scratch {@code tile[MR * NR]} and {@link VectorGemm} adds it
 * to C.
 *
 * <p>MR is 8 on 512-bit species (16 accumulators of AVX-512's 32 registers) and 4 on 256-bit
 * species. AVX2 has 16 registers: BLIS's 6 x 16 Haswell shape measured slower here (44 against
 * 62-98 GFLOP/s for the kernel alone on Zen 3, JDK 25) because C2 issues all of a step's
 * broadcasts first, which needs 17 registers, and spills an accumulator; 5 rows spill too.
 *
 * <p>Two forms: {@code packed} reads A from an MR-tall packed panel ({@code a[ao + p·MR + i]});
 * {@code strided} reads A in place with any strides ({@code a[ao + i·ars + p·acs]}), for
 * narrow products where packing the big operand would cost more than the multiply. The
 * strided form keeps its bounds checks (C2 cannot eliminate them with a variable stride) and
 * runs at about 60% of the packed one.
 */
final class GemmMicroKernels {
    private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
    private static final int VL = S.length();
    static final int NR = 2 * VL;
    static final int MR = VL >= 16 ? 8 : 4;

    private GemmMicroKernels() {
    }

    /** tile = packed A panel (MR x kc, at ao) · packed B panel (kc x NR, at bo). */
    static void packed(float[] a, int ao, float[] b, int bo, int kc, float[] tile) {
        if (MR == 8) {
            packed8(a, ao, b, bo, kc, tile);
        } else {
            packed4(a, ao, b, bo, kc, tile);
        }
    }

    /** tile = A (MR x kc, element (i, p) at ao + i·ars + p·acs) · packed B panel (kc x NR, at bo). */
    static void strided(float[] a, int ao, int ars, int acs, float[] b, int bo, int kc, float[] tile) {
        if (MR == 8) {
            strided8(a, ao, ars, acs, b, bo, kc, tile);
        } else {
            strided4(a, ao, ars, acs, b, bo, kc, tile);
        }
    }

    private static void packed8(float[] a, int ao, float[] b, int bo, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00;
        FloatVector c21 = c00, c30 = c00, c31 = c00, c40 = c00;
        FloatVector c41 = c00, c50 = c00, c51 = c00, c60 = c00;
        FloatVector c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            int pb = bo + p * NR;
            int pa = ao + p * 8;
            FloatVector b0 = FloatVector.fromArray(S, b, pb);
            FloatVector b1 = FloatVector.fromArray(S, b, pb + VL);
            FloatVector x = FloatVector.broadcast(S, a[pa]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[pa + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[pa + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[pa + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[pa + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[pa + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[pa + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[pa + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + VL);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + VL);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + VL);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + VL);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + VL);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + VL);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + VL);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + VL);
    }

    private static void packed4(float[] a, int ao, float[] b, int bo, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00;
        FloatVector c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            int pb = bo + p * NR;
            int pa = ao + p * 4;
            FloatVector b0 = FloatVector.fromArray(S, b, pb);
            FloatVector b1 = FloatVector.fromArray(S, b, pb + VL);
            FloatVector x = FloatVector.broadcast(S, a[pa]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[pa + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[pa + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[pa + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + VL);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + VL);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + VL);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + VL);
    }

    private static void strided8(float[] a, int ao, int ars, int acs, float[] b, int bo, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00;
        FloatVector c21 = c00, c30 = c00, c31 = c00, c40 = c00;
        FloatVector c41 = c00, c50 = c00, c51 = c00, c60 = c00;
        FloatVector c61 = c00, c70 = c00, c71 = c00;
        int a0 = ao;
        int a1 = ao + ars;
        int a2 = ao + 2 * ars;
        int a3 = ao + 3 * ars;
        int a4 = ao + 4 * ars;
        int a5 = ao + 5 * ars;
        int a6 = ao + 6 * ars;
        int a7 = ao + 7 * ars;
        for (int p = 0; p < kc; p++) {
            int pb = bo + p * NR;
            int pa = p * acs;
            FloatVector b0 = FloatVector.fromArray(S, b, pb);
            FloatVector b1 = FloatVector.fromArray(S, b, pb + VL);
            FloatVector x = FloatVector.broadcast(S, a[a0 + pa]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + pa]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + pa]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + pa]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + pa]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + pa]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[a6 + pa]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[a7 + pa]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + VL);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + VL);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + VL);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + VL);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + VL);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + VL);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + VL);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + VL);
    }

    private static void strided4(float[] a, int ao, int ars, int acs, float[] b, int bo, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00;
        FloatVector c21 = c00, c30 = c00, c31 = c00;
        int a0 = ao;
        int a1 = ao + ars;
        int a2 = ao + 2 * ars;
        int a3 = ao + 3 * ars;
        for (int p = 0; p < kc; p++) {
            int pb = bo + p * NR;
            int pa = p * acs;
            FloatVector b0 = FloatVector.fromArray(S, b, pb);
            FloatVector b1 = FloatVector.fromArray(S, b, pb + VL);
            FloatVector x = FloatVector.broadcast(S, a[a0 + pa]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + pa]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + pa]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + pa]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + VL);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + VL);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + VL);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + VL);
    }

    /**
     * tile = packed A panel (MR x kc, at ao) · B, where row p of B is the slice of x that starts at
     * {@code xb + off[p0 + p]} (NR floats): the implicit im2col of a direct convolution, whose
     * taps are shifted slices of one zero-bordered input ({@link PaddedInput}). The same
     * multiply-adds, in the same order, as {@link #packed} on panels holding those slices.
     * {@link #packed} is this over the offsets p·NR, but kept apart: folded into this form (an
     * offset table read per step), workload A's GEMMs ran 4-9% slower ({@code BuildAB}'s gemm cases).
     */
    static void shifted(float[] a, int ao, float[] x, int xb, int[] off, int p0, int kc, float[] tile) {
        if (MR == 8) {
            shifted8(a, ao, x, xb, off, p0, kc, tile);
        } else {
            shifted4(a, ao, x, xb, off, p0, kc, tile);
        }
    }

    private static void shifted8(float[] a, int ao, float[] x, int xb, int[] off, int p0, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00;
        FloatVector c21 = c00, c30 = c00, c31 = c00, c40 = c00;
        FloatVector c41 = c00, c50 = c00, c51 = c00, c60 = c00;
        FloatVector c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            int pb = xb + off[p0 + p];
            int pa = ao + p * 8;
            FloatVector b0 = FloatVector.fromArray(S, x, pb);
            FloatVector b1 = FloatVector.fromArray(S, x, pb + VL);
            FloatVector v = FloatVector.broadcast(S, a[pa]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[pa + 1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[pa + 2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[pa + 3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[pa + 4]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, a[pa + 5]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
            v = FloatVector.broadcast(S, a[pa + 6]);
            c60 = v.fma(b0, c60);
            c61 = v.fma(b1, c61);
            v = FloatVector.broadcast(S, a[pa + 7]);
            c70 = v.fma(b0, c70);
            c71 = v.fma(b1, c71);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + VL);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + VL);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + VL);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + VL);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + VL);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + VL);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + VL);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + VL);
    }

    private static void shifted4(float[] a, int ao, float[] x, int xb, int[] off, int p0, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00;
        FloatVector c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            int pb = xb + off[p0 + p];
            int pa = ao + p * 4;
            FloatVector b0 = FloatVector.fromArray(S, x, pb);
            FloatVector b1 = FloatVector.fromArray(S, x, pb + VL);
            FloatVector v = FloatVector.broadcast(S, a[pa]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[pa + 1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[pa + 2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[pa + 3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + VL);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + VL);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + VL);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + VL);
    }
}
