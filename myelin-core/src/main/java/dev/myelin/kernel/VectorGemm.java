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
 * The micro-kernel ({@link GemmMicroKernels}) keeps MR x 2 accumulator vectors (NR = two
 * vectors) and per step of k does one broadcast of A per row and two FMAs. Packing absorbs the
 * transposes and the edges (panels are zero-padded), so the micro-kernel never branches.
 * Narrow products (min(m, n) < NR, e.g. the 10-class output layer) pack only the narrow
 * operand and read the other in place: packing costs one copy per element of A for only
 * 2·n flops per element there. A side of exactly NR (a 16-channel convolution on AVX2) fills
 * the tiles without padding: it is read in place only when the wide operand's rows run along k
 * contiguously (a convolution's weight gradient dY·colᵀ, where packing colᵀ is a strided copy
 * of the whole unfolded matrix); a wide operand strided along k (the forward W·col read as
 * colᵀ) ran at half the speed in place and is packed. Other products are computed as Cᵀ = op(B)ᵀ·op(A)ᵀ when that
 * wastes at least a quarter fewer padded lanes: C is then written element by element, which
 * cost a convolution's 288x196x64 product 43% of its time against 6% more padded lanes the
 * other way round. Threads split the larger of the two
 * panel counts into contiguous ranges; every element of C is summed in the same order whatever
 * the split, so results do not depend on the thread count at all.
 *
 * <p>References: K. Goto and R. van de Geijn, "Anatomy of high-performance matrix
 * multiplication", ACM TOMS 34(3), 2008; F. Van Zee and R. van de Geijn, "BLIS: A framework for
 * rapidly instantiating BLAS functionality", ACM TOMS 41(3), 2015.
 *
 * <p>Blocking on AVX-512: MR 8, NR 32, KC 256, MC 120, NC 1024. On 256-bit species (AVX2)
 * NR is 16 and MR 4; see {@link GemmMicroKernels} for why not 6.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
    private static final int VL = S.length();
    static final int NR = GemmMicroKernels.NR;
    static final int MR = GemmMicroKernels.MR;
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
        } else if (Math.min(m, n) < NR || (Math.min(m, n) == NR && (m < n ? opB.t() : opA).cs() == 1)) {
            // narrow (n = 10 classes): pack only the small operand, put it on the B side
            if (m < n) {
                parallel(opB.t(), opA.t(), cm.t(), n, m, k, beta, false);
            } else {
                parallel(opA, opB, cm, m, n, k, beta, false);
            }
        } else if (4 * paddedArea(n, m) < 3 * paddedArea(m, n)) {
            // Cᵀ = op(B)ᵀ · op(A)ᵀ wastes a quarter fewer padded lanes: worth C's element-wise stores
            parallel(opB.t(), opA.t(), cm.t(), n, m, k, beta, true);
        } else {
            parallel(opA, opB, cm, m, n, k, beta, true);
        }
    }

    /** The start of k-block kb of kBlocks equal blocks (784 in 4 blocks: 0, 196, 392, 588; kb = kBlocks gives k). */
    private static int blockStart(int k, int kb, int kBlocks) {
        return (int) ((long) k * kb / kBlocks);
    }

    /** The number of C elements the micro-kernel computes for an m x n product, padding included. */
    private static long paddedArea(int m, int n) {
        return (long) ceilDiv(m, MR) * MR * ceilDiv(n, NR) * NR;
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /**
     * Splits C into contiguous ranges of MR-row panels or of NR-column panels, one per task, and
     * runs the blocked loop on each sub-product. Each task packs its own share of one operand
     * and all of the other, so the split goes along the longer side of C: splitting rows packs
     * m·k/T + k·n elements per task, splitting columns m·k + k·n/T (for x·Wᵀ at 128 x 256 x 784
     * on 2 threads, 200k instead of 250k). The task count depends only on the sizes and
     * {@link Parallel#threads()}.
     */
    private static void parallel(Strided a, Strided b, Strided c, int m, int n, int k, float beta,
                                 boolean packA) {
        int rowPanels = ceilDiv(m, MR);
        int colPanels = ceilDiv(n, NR);
        long work = (long) m * n * k;
        int tasks = (int) Math.min(Math.min(Parallel.threads(), Math.max(rowPanels, colPanels)),
                Math.max(1, work / TASK_WORK));
        boolean splitRows = m > n ? rowPanels >= tasks : colPanels < tasks;
        int panels = splitRows ? rowPanels : colPanels;
        if (tasks <= 1) {
            blocked(a, b, c, m, n, k, beta, packA);
            return;
        }
        Parallel.forEach(tasks, t -> {
            int from = panels * t / tasks;
            int to = panels * (t + 1) / tasks;
            if (splitRows) {
                int r0 = from * MR;
                blocked(a.at(r0, 0), b, c.at(r0, 0), Math.min(m, to * MR) - r0, n, k, beta, packA);
            } else {
                int c0 = from * NR;
                blocked(a, b.at(0, c0), c.at(0, c0), m, Math.min(n, to * NR) - c0, k, beta, packA);
            }
        });
    }

    /**
     * The five loops around the micro-kernel, on one thread. k is cut into equal blocks of at
     * most KC (784 becomes 4 x 196, not 3 x 256 + 16) so no block is too short to pay for its
     * C update. With {@code packA} false, A is read in place by the strided micro-kernel and only
     * its last, partial panel is packed (into the start of the A buffer).
     */
    private static void blocked(Strided a, Strided b, Strided c, int m, int n, int k, float beta,
                                boolean packA) {
        Buffers buf = BUFFERS.get();
        int kBlocks = ceilDiv(k, KC);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int kb = 0; kb < kBlocks; kb++) {
                int pc = blockStart(k, kb, kBlocks);
                int kc = blockStart(k, kb + 1, kBlocks) - pc;
                GemmPacking.packB(b, pc, jc, kc, nc, buf.b);
                float blockBeta = kb == 0 ? beta : 1f;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    int edge = mc % MR;
                    if (packA) {
                        GemmPacking.packA(a, ic, pc, mc, kc, buf.a);
                    } else if (edge != 0) {
                        GemmPacking.packA(a, ic + mc - edge, pc, edge, kc, buf.a);
                    }
                    macroKernel(buf, packA ? null : a.at(ic, pc), c.at(ic, jc), mc, nc, kc, blockBeta);
                }
            }
        }
    }

    /**
     * C[0:mc, 0:nc] = A · packedB + beta · C, one MR x NR tile at a time; A is the packed buffer,
     * or {@code inPlace} (with its partial last panel packed at the start of the buffer).
     */
    private static void macroKernel(Buffers buf, Strided inPlace, Strided c, int mc, int nc, int kc, float beta) {
        for (int jr = 0; jr < nc; jr += NR) {
            int bo = jr * kc;
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                if (inPlace == null) {
                    GemmMicroKernels.packed(buf.a, ir * kc, buf.b, bo, kc, buf.tile);
                } else if (mr < MR) {
                    GemmMicroKernels.packed(buf.a, 0, buf.b, bo, kc, buf.tile);
                } else {
                    GemmMicroKernels.strided(inPlace.data(), inPlace.index(ir, 0), inPlace.rs(), inPlace.cs(),
                            buf.b, bo, kc, buf.tile);
                }
                storeTile(buf.tile, c, ir, jr, mr, nr, beta);
            }
        }
    }

    /** A [m, k] in MR-tall panels over the whole of k: {@code dst[(i / MR)·k·MR + p·MR + i % MR] = A(i, p)}. */
    static float[] packPanelA(float[] a, int aOff, int lda, int m, int k) {
        float[] dst = new float[ceilDiv(m, MR) * MR * k];
        GemmPacking.packA(new Strided(a, aOff, lda, 1), 0, 0, m, k, dst);
        return dst;
    }

    /**
     * C = A · B + beta · C on the calling thread for A from {@link #packPanelA} and B [k, n] given
     * as shifted slices of x, {@code B(p, j) = x[xBase + off[p] + j]} (see
     * {@link Kernels#shiftedGemm}): the macro-kernel with B read in place. Per NR-wide block of
     * columns, k is cut into blocks of at most KC as in {@link #blocked}, so the slices of a block
     * stay in L1 while every A panel passes them; A's block of a panel starts at
     * {@code (i / MR)·k·MR + pc·MR}.
     */
    static void shiftedGemm(float[] a, int m, int n, int k, float[] x, int xBase, int[] off, float beta,
                            float[] c, int cOff, int ldc) {
        float[] tile = BUFFERS.get().tile;
        Strided cm = new Strided(c, cOff, ldc, 1);
        int kBlocks = ceilDiv(k, KC);
        for (int jr = 0; jr < n; jr += NR) {
            int nr = Math.min(NR, n - jr);
            for (int kb = 0; kb < kBlocks; kb++) {
                int pc = blockStart(k, kb, kBlocks);
                int kc = blockStart(k, kb + 1, kBlocks) - pc;
                float blockBeta = kb == 0 ? beta : 1f;
                for (int ir = 0; ir < m; ir += MR) {
                    GemmMicroKernels.shifted(a, ir * k + pc * MR, x, xBase + jr, off, pc, kc, tile);
                    storeTile(tile, cm, ir, jr, Math.min(MR, m - ir), nr, blockBeta);
                }
            }
        }
    }

    /**
     * C[i0:i0+mr, j0:j0+nr] = tile + beta · C (beta = 0 writes the tile, ignoring C). Rows of C
     * that are contiguous take vector stores, masked at the right edge; a transposed C (the
     * narrow-product case) is written element by element.
     */
    private static void storeTile(float[] tile, Strided c, int i0, int j0, int mr, int nr, float beta) {
        float[] cd = c.data();
        if (c.cs() != 1) {
            storeTransposed(tile, c, i0, j0, mr, nr, beta);
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

    /**
     * The element-wise store of a tile into a C whose rows are not contiguous (the transposed
     * products). Walks C along its contiguous direction (tile columns, when C is a transposed
     * row-major matrix) so consecutive writes are adjacent, with the beta test outside the loops.
     */
    private static void storeTransposed(float[] tile, Strided c, int i0, int j0, int mr, int nr, float beta) {
        float[] cd = c.data();
        int rs = c.rs();
        for (int j = 0; j < nr; j++) {
            int ci = c.index(i0, j0 + j);
            if (beta == 0f) {
                for (int i = 0; i < mr; i++) {
                    cd[ci + i * rs] = tile[i * NR + j];
                }
            } else {
                for (int i = 0; i < mr; i++) {
                    cd[ci + i * rs] = tile[i * NR + j] + beta * cd[ci + i * rs];
                }
            }
        }
    }
}
