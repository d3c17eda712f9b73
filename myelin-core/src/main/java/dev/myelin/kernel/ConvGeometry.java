package dev.myelin.kernel;

/**
 * The sizes of one 2-D convolution, NCHW with PyTorch's weight layout
 * {@code [outChannels, inChannels / groups, kernelH, kernelW]}:
 * <pre>
 * outH = ⌊(inH + 2·padH − dilationH·(kernelH − 1) − 1) / strideH⌋ + 1     (likewise outW)
 * </pre>
 * Each of the {@code groups} groups convolves {@code inChannels / groups} input channels into
 * {@code outChannels / groups} output channels. As a matrix product per sample and group
 * (im2col): {@code Y_g [outChannels/groups, outH·outW] = W_g [outChannels/groups, K] ·
 * col_g [K, outH·outW]} with {@code K = inChannels/groups · kernelH · kernelW}.
 */
public record ConvGeometry(int batch, int inChannels, int inH, int inW, int outChannels,
                           int kernelH, int kernelW, int strideH, int strideW,
                           int padH, int padW, int dilationH, int dilationW, int groups) {

    public ConvGeometry {
        positive("batch", batch, 0);
        positive("in channels", inChannels, 1);
        positive("input height", inH, 1);
        positive("input width", inW, 1);
        positive("out channels", outChannels, 1);
        positive("kernel height", kernelH, 1);
        positive("kernel width", kernelW, 1);
        positive("stride height", strideH, 1);
        positive("stride width", strideW, 1);
        positive("padding height", padH, 0);
        positive("padding width", padW, 0);
        positive("dilation height", dilationH, 1);
        positive("dilation width", dilationW, 1);
        positive("groups", groups, 1);
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("groups: expected a divisor of both in channels (" + inChannels
                    + ") and out channels (" + outChannels + "), got " + groups);
        }
        int effH = dilationH * (kernelH - 1) + 1;
        int effW = dilationW * (kernelW - 1) + 1;
        if (effH > inH + 2 * padH || effW > inW + 2 * padW) {
            throw new IllegalArgumentException("kernel " + kernelH + "x" + kernelW + " (dilation " + dilationH + "x"
                    + dilationW + ", so " + effH + "x" + effW + ") is larger than the padded input "
                    + (inH + 2 * padH) + "x" + (inW + 2 * padW) + " (" + inH + "x" + inW + " plus padding "
                    + padH + "x" + padW + "); use a smaller kernel or more padding");
        }
    }

    private static void positive(String what, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(what + ": expected >= " + min + ", got " + value);
        }
    }

    public int outH() {
        return (inH + 2 * padH - dilationH * (kernelH - 1) - 1) / strideH + 1;
    }

    public int outW() {
        return (inW + 2 * padW - dilationW * (kernelW - 1) - 1) / strideW + 1;
    }

    /** Input channels per group. */
    public int groupIn() {
        return inChannels / groups;
    }

    /** Output channels per group. */
    public int groupOut() {
        return outChannels / groups;
    }

    /** K: the rows of im2col's matrix, {@code inChannels/groups · kernelH · kernelW}. */
    public int colRows() {
        return groupIn() * kernelH * kernelW;
    }

    /** P: output positions per channel, {@code outH · outW}. */
    public int outPlane() {
        return outH() * outW();
    }

    /** Input positions per channel, {@code inH · inW}. */
    public int inPlane() {
        return inH * inW;
    }

    /** True for a 1x1 kernel with stride 1 and no padding, where im2col is the input itself. */
    public boolean isPointwise() {
        return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0;
    }

    /**
     * True for stride 1 with the output as wide as the input (a "same" convolution: padding
     * dilationW·(kernelW − 1)/2 each side), where each row of the unfolded matrix is a
     * contiguous slice of the input plane with the padding positions zeroed.
     */
    public boolean isSameWidth() {
        return strideH == 1 && strideW == 1 && outW() == inW;
    }

    /** Multiply-adds of the forward pass: {@code batch · outChannels · P · K}. */
    public long macs() {
        return (long) batch * outChannels * outPlane() * colRows();
    }
}
