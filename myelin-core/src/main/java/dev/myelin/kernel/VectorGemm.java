package dev.myelin.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix multiply on the Vector API with the GotoBLAS/BLIS structure:
 * <pre>
 * for jc in n step NC:                      // NC-wide block of op(B) and C
 *   for pc in k step KC:                    // rank-KC update
 *     pack op(B)[pc:pc+KC, jc:jc+NC] into NR-wide panels     (lives in L2/L3)
 *     for ic in m step MC:
 *       pack op(A)[ic:ic+MC, pc:pc+KC] into MR-tall panels   (lives in L2)
 *       for jr in NC step NR:               // one B panel stays in L1
 *         for ir in MC step MR:
 *           C[ir:ir+MR, jr:jr+NR] (+)= Apanel · Bpanel        (micro-kernel, in registers)
 * </pre>
 * The micro-kernel keeps MR x 2 accumulator vectors (NR = two vectors) and per step of k does
 * one broadcast of A per row and two FMAs. Packing absorbs the transposes and the edges (panels
 * are zero-padded), so the micro-kernel never branches. Threads split the larger of the two
 * panel counts into contiguous ranges; every element of C is summed in the same order whatever
 * the split, so results do not depend on the thread count at all.
 *
 * <p>References: K. Goto and R. van de Geijn, "Anatomy of high-performance matrix
 * multiplication", ACM TOMS 34(3), 2008; F. Van Zee and R. van de Geijn, "BLIS: A framework for
 * rapidly instantiating BLAS functionality", ACM TOMS 41(3), 2015.
 *
 * <p>Blocking on AVX-512 (Zen 4): MR 8, NR 32, KC 256, MC 120, NC 1024. On 256-bit species
 * NR is 16 and MR 6 (12 accumulators, which fit AVX2's 16 registers).
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
    private static final int VL = S.length();
    static final int NR = 2 * VL;
    static final int MR = VL >= 16 ? 8 : 4;
    private static final int KC = 256;
    private static final int MC = 120;
    private static final int NC = 1024;
    /** Below this m·n·k, packing costs more than it saves. */
    static final long SMALL = 32 * 1024;
    /** The least m·n·k worth a thread of its own (about 10 µs of work). */
    private static final long TASK_WORK = 1 << 19;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private VectorGemm() {
    }

    /** Per-thread packing buffers, allocated once per thread at the largest block size. */
    private static final class Buffers {
        final float[] a = new float[MC * KC];
        final float[] b = new float[KC * NC];
        final float[] tile = new float[MR * NR];
    }

    /** C = op(A) · op(B) + beta · C; see {@link Kernels#gemm}. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        Strided opA = transA ? new Strided(a, aOff, 1, lda) : new Strided(a, aOff, lda, 1);
        Strided opB = transB ? new Strided(b, bOff, 1, ldb) : new Strided(b, bOff, ldb, 1);
        Strided cm = new Strided(c, cOff, ldc, 1);
        if (k <= 0) {
            GemmSmall.scale(cm, m, n, beta);
        } else if ((long) m * n * k < SMALL) {
            GemmSmall.multiply(opA, opB, cm, m, n, k, beta);
        } else if (paddedArea(n, m) < paddedArea(m, n)) {
            // Cᵀ = op(B)ᵀ · op(A)ᵀ: a narrow C (n = 10 classes) wastes fewer padded lanes this way
            parallel(opB.t(), opA.t(), cm.t(), n, m, k, beta);
        } else {
            parallel(opA, opB, cm, m, n, k, beta);
        }
    }

    /** The number of C elements the micro-kernel computes for an m x n product, padding included. */
    private static long paddedArea(int m, int n) {
        return (long) ceilDiv(m, MR) * MR * ceilDiv(n, NR) * NR;
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /**
     * Splits the larger of the two panel counts (MR-row panels of C, NR-column panels of C)
     * into contiguous ranges, one per task, and runs the blocked loop on each sub-product.
     * The task count depends only on the sizes and {@link Parallel#threads()}.
     */
    private static void parallel(Strided a, Strided b, Strided c, int m, int n, int k, float beta) {
        int rowPanels = ceilDiv(m, MR);
        int colPanels = ceilDiv(n, NR);
        boolean splitRows = rowPanels >= colPanels;
        int panels = splitRows ? rowPanels : colPanels;
        long work = (long) m * n * k;
        int tasks = (int) Math.min(Math.min(Parallel.threads(), panels), Math.max(1, work / TASK_WORK));
        if (tasks <= 1) {
            blocked(a, b, c, m, n, k, beta);
            return;
        }
        Parallel.forEach(tasks, t -> {
            int from = panels * t / tasks;
            int to = panels * (t + 1) / tasks;
            if (splitRows) {
                int r0 = from * MR;
                blocked(a.at(r0, 0), b, c.at(r0, 0), Math.min(m, to * MR) - r0, n, k, beta);
            } else {
                int c0 = from * NR;
                blocked(a, b.at(0, c0), c.at(0, c0), m, Math.min(n, to * NR) - c0, k, beta);
            }
        });
    }

    /**
     * The five loops around the micro-kernel, on one thread. k is cut into equal blocks of at
     * most KC (784 becomes 4 x 196, not 3 x 256 + 16) so no block is too short to pay for its
     * C update.
     */
    private static void blocked(Strided a, Strided b, Strided c, int m, int n, int k, float beta) {
        Buffers buf = BUFFERS.get();
        int kBlocks = ceilDiv(k, KC);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int kb = 0; kb < kBlocks; kb++) {
                int pc = (int) ((long) k * kb / kBlocks);
                int kc = (int) ((long) k * (kb + 1) / kBlocks) - pc;
                GemmPacking.packB(b, pc, jc, kc, nc, buf.b);
                float blockBeta = kb == 0 ? beta : 1f;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    GemmPacking.packA(a, ic, pc, mc, kc, buf.a);
                    macroKernel(buf, c.at(ic, jc), mc, nc, kc, blockBeta);
                }
            }
        }
    }

    /** C[0:mc, 0:nc] = packedA · packedB + beta · C, one MR x NR tile at a time. */
    private static void macroKernel(Buffers buf, Strided c, int mc, int nc, int kc, float beta) {
        for (int jr = 0; jr < nc; jr += NR) {
            int bo = jr * kc;
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int ao = ir * kc;
                if (MR == 8) {
                    microKernel8(buf.a, ao, buf.b, bo, kc, buf.tile);
                } else {
                    microKernel4(buf.a, ao, buf.b, bo, kc, buf.tile);
                }
                storeTile(buf.tile, c, ir, jr, Math.min(MR, mc - ir), nr, beta);
            }
        }
    }

    /**
     * tile[8 x NR] = Σ_p a[p][0:8]ᵀ · b[p][0:NR] over kc steps: 16 accumulators, per step two
     * loads of B, eight broadcasts of A and sixteen FMAs.
     */
    static void microKernel8(float[] a, int ao, float[] b, int bo, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00, c70 = c00, c71 = c00;
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
        c00.intoArray(tile, 0);
        c01.intoArray(tile, VL);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + VL);
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

    /**
     * The 4-row micro-kernel for 256-bit species (AVX2 has 16 vector registers): 8 accumulators,
     * 2 B vectors and 4 broadcasts. Six rows (12 accumulators, BLIS's Haswell shape) measured
     * slower on Zen 3 with JDK 25 (44 against 62 GFLOP/s for the kernel alone): C2 issues all of
     * a step's broadcasts first, which needs 17 registers, and spills an accumulator.
     */
    static void microKernel4(float[] a, int ao, float[] b, int bo, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
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

    /**
     * C[i0:i0+mr, j0:j0+nr] = tile + beta · C (beta = 0 writes the tile, ignoring C). Rows of C
     * that are contiguous take vector stores, masked at the right edge; a transposed C (the
     * narrow-product case) is written element by element.
     */
    private static void storeTile(float[] tile, Strided c, int i0, int j0, int mr, int nr, float beta) {
        float[] cd = c.data();
        if (c.cs() != 1) {
            for (int i = 0; i < mr; i++) {
                for (int j = 0; j < nr; j++) {
                    int ci = c.index(i0 + i, j0 + j);
                    float t = tile[i * NR + j];
                    cd[ci] = beta == 0f ? t : t + beta * cd[ci];
                }
            }
            return;
        }
        VectorMask<Float> m0 = S.indexInRange(0, nr);
        VectorMask<Float> m1 = S.indexInRange(VL, nr);
        for (int i = 0; i < mr; i++) {
            int ci = c.index(i0 + i, j0);
            FloatVector t0 = FloatVector.fromArray(S, tile, i * NR);
            FloatVector t1 = FloatVector.fromArray(S, tile, i * NR + VL);
            if (nr == NR) {
                if (beta != 0f) {
                    t0 = t0.add(FloatVector.fromArray(S, cd, ci).mul(beta));
                    t1 = t1.add(FloatVector.fromArray(S, cd, ci + VL).mul(beta));
                }
                t0.intoArray(cd, ci);
                t1.intoArray(cd, ci + VL);
            } else {
                if (beta != 0f) {
                    t0 = t0.add(FloatVector.fromArray(S, cd, ci, m0).mul(beta));
                    t1 = t1.add(FloatVector.fromArray(S, cd, ci + VL, m1).mul(beta));
                }
                t0.intoArray(cd, ci, m0);
                t1.intoArray(cd, ci + VL, m1);
            }
        }
    }
}
