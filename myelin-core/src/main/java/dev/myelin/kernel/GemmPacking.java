package dev.myelin.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packs blocks of op(A) and op(B) into the contiguous panels {@link VectorGemm}'s micro-kernel
 * reads (Goto and van de Geijn 2008, section 6). Panels are zero-padded at the edges, and the
 * transposes are absorbed here: each side has one path for a contiguous inner dimension
 * (vector or unit-stride copies) and one strided path.
 */
final class GemmPacking {
    private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
    private static final int VL = S.length();
    private static final int NR = VectorGemm.NR;
    private static final int MR = VectorGemm.MR;

    private GemmPacking() {
    }

    /**
     * Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-wide panels:
     * <pre>dst[(j / NR) * kc * NR + p * NR + j % NR] = B(pc + p, jc + j)</pre>
     * with zeros in the columns past nc of the last panel.
     */
    static void packB(Strided b, int pc, int jc, int kc, int nc, float[] dst) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            Strided panel = b.at(pc, jc + jr);
            if (b.cs() == 1) {
                packBRows(panel, kc, nr, dst, jr * kc);
            } else {
                packBColumns(panel, kc, nr, dst, jr * kc);
            }
        }
    }

    /** B's rows are contiguous (transB = false): two vector copies per row, masked at the edge. */
    private static void packBRows(Strided b, int kc, int nr, float[] dst, int d) {
        float[] src = b.data();
        int s = b.off();
        int rs = b.rs();
        if (nr == NR) {
            for (int p = 0; p < kc; p++, s += rs, d += NR) {
                FloatVector.fromArray(S, src, s).intoArray(dst, d);
                FloatVector.fromArray(S, src, s + VL).intoArray(dst, d + VL);
            }
        } else {
            VectorMask<Float> m0 = S.indexInRange(0, nr);
            VectorMask<Float> m1 = S.indexInRange(VL, nr);
            for (int p = 0; p < kc; p++, s += rs, d += NR) {
                // a masked load leaves the unset lanes zero: that is the padding
                FloatVector.fromArray(S, src, s, m0).intoArray(dst, d);
                FloatVector.fromArray(S, src, s + VL, m1).intoArray(dst, d + VL);
            }
        }
    }

    /** B's columns are contiguous (transB = true): read along k, write with stride NR. */
    private static void packBColumns(Strided b, int kc, int nr, float[] dst, int d) {
        float[] src = b.data();
        int rs = b.rs();
        for (int j = 0; j < nr; j++) {
            int s = b.index(0, j);
            for (int p = 0, o = d + j; p < kc; p++, s += rs, o += NR) {
                dst[o] = src[s];
            }
        }
        for (int j = nr; j < NR; j++) {
            for (int p = 0, o = d + j; p < kc; p++, o += NR) {
                dst[o] = 0f;
            }
        }
    }

    /**
     * Packs op(A)[ic:ic+mc, pc:pc+kc] into MR-tall panels:
     * <pre>dst[(i / MR) * kc * MR + p * MR + i % MR] = A(ic + i, pc + p)</pre>
     * with zeros in the rows past mc of the last panel.
     */
    static void packA(Strided a, int ic, int pc, int mc, int kc, float[] dst) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            Strided panel = a.at(ic + ir, pc);
            if (a.rs() == 1 && mr == MR) {
                packAColumns(panel, kc, dst, ir * kc);
            } else {
                packARows(panel, kc, mr, dst, ir * kc);
            }
        }
    }

    /** A's columns are contiguous (transA = true): MR consecutive floats per step of k. */
    private static void packAColumns(Strided a, int kc, float[] dst, int d) {
        float[] src = a.data();
        int cs = a.cs();
        for (int p = 0, s = a.off(); p < kc; p++, s += cs, d += MR) {
            System.arraycopy(src, s, dst, d, MR);
        }
    }

    /**
     * General strides (A's rows contiguous when transA = false). A full panel with contiguous
     * rows is read as MR row streams at once, so the packed panel is written in order; otherwise
     * one row at a time.
     */
    private static void packARows(Strided a, int kc, int mr, float[] dst, int d) {
        float[] src = a.data();
        int cs = a.cs();
        if (mr == MR && cs == 1) {
            int s = a.off();
            int rs = a.rs();
            for (int p = 0; p < kc; p++, d += MR) {
                for (int i = 0; i < MR; i++) {
                    dst[d + i] = src[s + i * rs + p];
                }
            }
            return;
        }
        for (int i = 0; i < mr; i++) {
            int s = a.index(i, 0);
            for (int p = 0, o = d + i; p < kc; p++, s += cs, o += MR) {
                dst[o] = src[s];
            }
        }
        for (int i = mr; i < MR; i++) {
            for (int p = 0, o = d + i; p < kc; p++, o += MR) {
                dst[o] = 0f;
            }
        }
    }
}
