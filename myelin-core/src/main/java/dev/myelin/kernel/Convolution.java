package dev.myelin.kernel;

import java.util.Arrays;

/**
 * 2-D convolution (cross-correlation, as PyTorch's {@code conv2d}) and its two gradients as
 * im2col + GEMM on any {@link Kernels}, per sample and group (see {@link ConvGeometry} for the
 * shapes):
 * <pre>
 * forward:          Y_n,g  = W_g · col(x_n,g)  (+ b)               gemm  [Og, K]·[K, P]
 * input gradient:   dx_n,g = col2im(W_gᵀ · dY_n,g)                 gemm  [K, Og]·[Og, P]
 * weight gradient:  dW_g   = Σ_n dY_n,g · col(x_n,g)ᵀ               gemm  [Og, P]·[P, K]
 * </pre>
 * With stride 1 and one group the input gradient runs instead as a forward convolution of dY
 * with the flipped kernel ({@link #transposed}): a [C, O·kH·kW]·[O·kH·kW, H·W] product per
 * sample, shaped like the forward pass's, without col2im's scattered adds (the transposed
 * product has only O rows of depth, 16 in a ResNet's first stage, too few for the GEMM's tiles
 * to pay for their stores).
 * The batch is split across {@link Parallel}'s threads in contiguous ranges of samples; each
 * thread unfolds one sample at a time into its own buffer (K·P floats, which stays in the L2
 * cache between im2col and the GEMM that reads it) and runs single-threaded GEMMs. A batch of
 * one sample leaves the threads to the GEMM. The weight gradient sums per fixed block of
 * {@value #WEIGHT_BLOCK} samples, one block per thread at a time, and adds the blocks to dw in
 * block order, so every result is bit-identical whatever the thread count and the extra memory
 * is one weight-sized buffer per thread. A 1x1 kernel with stride 1 and no padding reads the
 * input in place (its im2col is the input). A stride-1 "same" convolution's forward pass
 * ({@link ConvGeometry#isSameWidth}, so also the transposed one that computes its input
 * gradient) runs as a direct convolution without im2col ({@link PaddedInput},
 * {@link Kernels#shiftedGemm}) and packs the weights once per batch instead of once per sample;
 * its weight gradient, when a group has fewer output channels than the GEMM's tiles are wide,
 * runs on the same layout as dot products ({@link #isDirectWeightGradient},
 * {@link Kernels#shiftedGemmNT}).
 *
 * <p>Reference: K. Chellapilla, S. Puri and P. Simard, "High Performance Convolutional Neural
 * Networks for Document Processing", 2006 (convolution unrolled into matrix products).
 */
public final class Convolution {
    /** Samples per partial sum of the weight gradient. */
    static final int WEIGHT_BLOCK = 8;
    /** The fewest input channels for which {@link #backwardInput} runs the transposed convolution. */
    static final int TRANSPOSED_MIN_CHANNELS = 8;

    private static final ThreadLocal<float[]> COL = ThreadLocal.withInitial(() -> new float[0]);

    private Convolution() {
    }

    private static float[] colBuffer(ConvGeometry g) {
        return colBuffer(g.colRows() * g.outPlane());
    }

    private static float[] colBuffer(int size) {
        float[] b = COL.get();
        if (b.length < size) {
            b = new float[size];
            COL.set(b);
        }
        return b;
    }

    /**
     * Sample n's group grp as the K x P matrix the GEMM reads: unfolded into {@code col} (offset
     * 0 is returned), or, for a pointwise kernel ({@code col} null), x itself at the returned offset.
     */
    private static int unfold(ConvGeometry g, int[][] ranges, float[] x, int n, int grp, float[] col) {
        int xOff = (n * g.inChannels() + grp * g.groupIn()) * g.inPlane();
        if (col == null) {
            return xOff;
        }
        Im2col.im2col(g, ranges, x, xOff, col);
        return 0;
    }

    /** Runs {@code body.accept(from, to)} over contiguous sample ranges, one per thread. */
    private static void overBatch(int batch, Parallel.RangeBody body) {
        int tasks = Math.min(batch, Parallel.threads());
        if (tasks <= 1) {
            body.accept(0, batch);
            return;
        }
        Parallel.forEach(tasks, t -> body.accept(batch * t / tasks, batch * (t + 1) / tasks));
    }

    /**
     * y [N, O, outH, outW] = conv(x [N, C, H, W], w [O, C/groups, kH, kW]) + bias [O] (bias may
     * be null). {@code y}'s previous contents are ignored.
     */
    public static void forward(Kernels k, ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        if (g.isSameWidth() && !g.isPointwise() && g.batch() >= Parallel.threads()) {
            forwardDirect(k, g, x, w, bias, y);
            return;
        }
        int[][] ranges = Im2col.columnRanges(g);
        int p = g.outPlane();
        int kk = g.colRows();
        int og = g.groupOut();
        overBatch(g.batch(), (from, to) -> {
            float[] col = g.isPointwise() ? null : colBuffer(g);
            for (int n = from; n < to; n++) {
                int yOff = n * g.outChannels() * p;
                fillBias(bias, 0, g.outChannels(), p, y, yOff);
                for (int grp = 0; grp < g.groups(); grp++) {
                    int bOff = unfold(g, ranges, x, n, grp, col);
                    k.gemm(false, false, og, p, kk, w, grp * og * kk, kk, col == null ? x : col, bOff, p,
                            bias != null ? 1f : 0f, y, yOff + grp * og * p, p);
                }
            }
        });
    }

    /** y[yOff + o·p ...] = bias[from + o] for each of the {@code channels} planes (nothing when bias is null). */
    private static void fillBias(float[] bias, int from, int channels, int p, float[] y, int yOff) {
        if (bias == null) {
            return;
        }
        for (int o = 0; o < channels; o++) {
            Arrays.fill(y, yOff + o * p, yOff + (o + 1) * p, bias[from + o]);
        }
    }

    /**
     * The forward pass as a direct convolution ({@link PaddedInput}): each sample's channels are
     * copied into zero-bordered planes, the GEMM reads every tap as a shifted slice of them
     * ({@link Kernels#shiftedGemm}) into an output on the padded width, and the extra columns are
     * dropped. Where im2col + GEMM wrote K·P floats per sample and read them back, this copies
     * C·(H + 2pH)·(W + 2pW) in and O·outH·W out, and computes (W + 2pW)/W as many columns; the
     * multiply-adds of each output are those of the unfolded product. Each group's weights are
     * packed once for the whole batch. Every thread runs whole samples, so the batch must have
     * at least one sample per thread.
     */
    private static void forwardDirect(Kernels k, ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        int p = g.outPlane();
        int kk = g.colRows();
        int og = g.groupOut();
        PaddedInput in = PaddedInput.of(g, k.panelWidth());
        int q = in.columns();
        float[][] packed = new float[g.groups()][];
        for (int grp = 0; grp < g.groups(); grp++) {
            packed[grp] = k.packPanelA(w, grp * og * kk, kk, og, kk);
        }
        overBatch(g.batch(), (from, to) -> {
            float[] buf = colBuffer(in.length() + og * q); // the padded input, then the output on the padded width
            Arrays.fill(buf, 0, in.length(), 0f);
            int yp = in.length();
            for (int n = from; n < to; n++) {
                for (int grp = 0; grp < g.groups(); grp++) {
                    in.copyIn(k, x, (n * g.inChannels() + grp * g.groupIn()) * g.inPlane(), buf);
                    fillBias(bias, grp * og, og, q, buf, yp);
                    k.shiftedGemm(packed[grp], og, q, kk, buf, 0, in.offsets(), bias != null ? 1f : 0f, buf, yp, q);
                    in.compact(k, buf, yp, og, y, (n * g.outChannels() + grp * og) * p);
                }
            }
        });
    }

    /**
     * dx [N, C, H, W] = the gradient of Σ y·dy with respect to x, for dy [N, O, outH, outW] and
     * w [O, C/groups, kH, kW] (the transposed convolution of dy). {@code dx}'s previous contents
     * are ignored.
     */
    public static void backwardInput(Kernels k, ConvGeometry g, float[] dy, float[] w, float[] dx) {
        if (isTransposable(g)) {
            forward(k, transposed(g), dy, flipped(g, w), null, dx);
            return;
        }
        int[][] ranges = Im2col.columnRanges(g);
        int p = g.outPlane();
        int kk = g.colRows();
        int og = g.groupOut();
        overBatch(g.batch(), (from, to) -> {
            float[] col = g.isPointwise() ? null : colBuffer(g);
            int inSample = g.inChannels() * g.inPlane();
            if (col != null) {
                Arrays.fill(dx, from * inSample, to * inSample, 0f);
            }
            for (int n = from; n < to; n++) {
                for (int grp = 0; grp < g.groups(); grp++) {
                    int dyOff = (n * g.outChannels() + grp * og) * p;
                    int dxOff = (n * g.inChannels() + grp * g.groupIn()) * g.inPlane();
                    if (col == null) {
                        k.gemm(true, false, kk, p, og, w, grp * og * kk, kk, dy, dyOff, p, 0f, dx, dxOff, p);
                    } else {
                        k.gemm(true, false, kk, p, og, w, grp * og * kk, kk, dy, dyOff, p, 0f, col, 0, p);
                        Im2col.col2im(g, ranges, col, dx, dxOff);
                    }
                }
            }
        });
    }

    /**
     * True when the input gradient is run as a stride-1 convolution of dy (see
     * {@link #transposed}): one group, stride 1, padding at most the dilated kernel's reach, not
     * a pointwise kernel (whose input gradient is already one GEMM without col2im), and at least
     * {@value #TRANSPOSED_MIN_CHANNELS} input channels (the rows of that GEMM: with 1 to 3, as
     * in a first layer, it is too thin and Wᵀ·dY with col2im runs 4x faster).
     */
    static boolean isTransposable(ConvGeometry g) {
        return g.groups() == 1 && g.inChannels() >= TRANSPOSED_MIN_CHANNELS && g.strideH() == 1 && g.strideW() == 1 && !g.isPointwise()
                && g.padH() <= g.dilationH() * (g.kernelH() - 1) && g.padW() <= g.dilationW() * (g.kernelW() - 1);
    }

    /**
     * The geometry of the input gradient of a stride-1 convolution as a forward convolution of
     * dy: with ih = oh − p + i·d, dx[c, ih, iw] = Σ dy[o, oh, ow] · w[o, c, i, j] is the
     * correlation of dy, padded by p' = d·(k − 1) − p, with the kernel flipped in both directions
     * and its channel axes swapped ({@link #flipped}); its output is inH x inW again. This runs
     * the input gradient as the same well-shaped GEMM as a forward pass ([C, O·kH·kW] ·
     * [O·kH·kW, H·W] per sample) and needs no col2im scatter.
     */
    static ConvGeometry transposed(ConvGeometry g) {
        return new ConvGeometry(g.batch(), g.outChannels(), g.outH(), g.outW(), g.inChannels(),
                g.kernelH(), g.kernelW(), 1, 1,
                g.dilationH() * (g.kernelH() - 1) - g.padH(), g.dilationW() * (g.kernelW() - 1) - g.padW(),
                g.dilationH(), g.dilationW(), 1);
    }

    /** w' [C, O, kH, kW] with w'[c, o, kH−1−i, kW−1−j] = w[o, c, i, j], for {@link #transposed}. */
    static float[] flipped(ConvGeometry g, float[] w) {
        int kh = g.kernelH();
        int kw = g.kernelW();
        int c = g.inChannels();
        int o = g.outChannels();
        float[] f = new float[w.length];
        for (int oi = 0; oi < o; oi++) {
            for (int ci = 0; ci < c; ci++) {
                int src = (oi * c + ci) * kh * kw;
                int dst = (ci * o + oi) * kh * kw;
                for (int t = 0; t < kh * kw; t++) {
                    f[dst + kh * kw - 1 - t] = w[src + t];
                }
            }
        }
        return f;
    }

    /**
     * dw [O, C/groups, kH, kW] = the gradient of Σ y·dy with respect to w, for x [N, C, H, W] and
     * dy [N, O, outH, outW]. {@code dw}'s previous contents are ignored.
     */
    public static void backwardWeight(Kernels k, ConvGeometry g, float[] x, float[] dy, float[] dw) {
        int size = g.outChannels() * g.colRows();
        int blocks = (g.batch() + WEIGHT_BLOCK - 1) / WEIGHT_BLOCK;
        if (blocks <= 1) {
            weightBlock(k, g, x, dy, 0, g.batch(), dw, 0);
            return;
        }
        // waves of one block per thread; each wave's sums are added to dw in block order
        int threads = Math.min(Parallel.threads(), blocks);
        float[] partial = new float[threads * size];
        for (int first = 0; first < blocks; first += threads) {
            int wave = first;
            int count = Math.min(threads, blocks - first);
            Parallel.forEach(count, t -> weightBlock(k, g, x, dy, (wave + t) * WEIGHT_BLOCK,
                    Math.min(g.batch(), (wave + t + 1) * WEIGHT_BLOCK), partial, t * size));
            for (int t = 0; t < count; t++) {
                if (first + t == 0) {
                    System.arraycopy(partial, 0, dw, 0, size);
                } else {
                    k.add(dw, 0, partial, t * size, dw, 0, size);
                }
            }
        }
    }

    /**
     * True when the weight gradient runs on the direct convolution's layout: a stride-1 "same
     * width" convolution (not pointwise) whose groups have fewer output channels than the
     * GEMM's tiles are wide ({@link Kernels#panelWidth()}: 16 channels on AVX-512), where the
     * GEMM would leave lanes empty and {@link Kernels#shiftedGemmNT} computes dW as dot
     * products with no operand copied.
     */
    static boolean isDirectWeightGradient(Kernels k, ConvGeometry g) {
        return g.isSameWidth() && !g.isPointwise() && g.groupOut() < k.panelWidth();
    }

    /** dw[dwOff ...] = Σ over samples [from, to) of dY_n,g · col(x_n,g)ᵀ, for every group. */
    private static void weightBlock(Kernels k, ConvGeometry g, float[] x, float[] dy, int from, int to,
                                    float[] dw, int dwOff) {
        if (isDirectWeightGradient(k, g)) {
            weightBlockDirect(k, g, x, dy, from, to, dw, dwOff);
            return;
        }
        int[][] ranges = Im2col.columnRanges(g);
        int p = g.outPlane();
        int kk = g.colRows();
        int og = g.groupOut();
        float[] col = g.isPointwise() ? null : colBuffer(g);
        for (int n = from; n < to; n++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                int bOff = unfold(g, ranges, x, n, grp, col);
                int dyOff = (n * g.outChannels() + grp * og) * p;
                k.gemm(false, true, og, kk, p, dy, dyOff, p, col == null ? x : col, bOff, p,
                        n == from ? 0f : 1f, dw, dwOff + grp * og * kk, kk);
            }
        }
    }

    /**
     * {@link #weightBlock} on the direct convolution's layout ({@link PaddedInput}): per sample
     * and group, x in zero-bordered planes and dY on the padded width with zeros in its extra
     * columns (and up to whole {@link Kernels#panelWidth()} panels, so the vector kernel has no
     * partial last step), so that dW = dY · colᵀ reads every row of col as a slice of the
     * planes ({@link Kernels#shiftedGemmNT}) and im2col's matrix is never written. The padded
     * columns add 0·x to each sum.
     */
    private static void weightBlockDirect(Kernels k, ConvGeometry g, float[] x, float[] dy, int from, int to,
                                          float[] dw, int dwOff) {
        int p = g.outPlane();
        int kk = g.colRows();
        int og = g.groupOut();
        int width = k.panelWidth();
        PaddedInput in = PaddedInput.of(g, width);
        int q = (in.columns() + width - 1) / width * width; // whole panels: the columns past the output are zeros
        float[] buf = colBuffer(in.length() + og * q); // the padded input, then dY on the padded width
        Arrays.fill(buf, 0, in.length() + og * q, 0f);
        int dyp = in.length();
        for (int n = from; n < to; n++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                in.copyIn(k, x, (n * g.inChannels() + grp * g.groupIn()) * g.inPlane(), buf);
                in.expand(k, dy, (n * g.outChannels() + grp * og) * p, og, buf, dyp, q);
                k.shiftedGemmNT(buf, dyp, q, og, q, buf, 0, in.offsets(), kk, n == from ? 0f : 1f,
                        dw, dwOff + grp * og * kk, kk);
            }
        }
    }
}
