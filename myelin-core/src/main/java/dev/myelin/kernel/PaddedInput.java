package dev.myelin.kernel;

/**
 * The layout of a direct convolution for a stride-1 convolution whose output is as wide as its
 * input ({@link ConvGeometry#isSameWidth}, e.g. a ResNet's 3x3 with padding 1): one sample's
 * channels copied into planes with a zero border, so that every kernel tap reads one contiguous
 * slice and im2col's matrix is never written (oneDNN's direct convolution reads the input at
 * shifted offsets the same way). With hp = inH + 2·pH rows of wp = inW + 2·pW floats per plane,
 * <pre>
 * xp[c·plane + (ih + pH)·wp + (iw + pW)] = x[c, ih, iw]            (0 on the border)
 * col[(c, i, j), q] = xp[c·plane + q + i·dH·wp + j·dW] = xp[offsets[(c·kH + i)·kW + j] + q]
 * q = oh·wp + ow                                                    (ow < wp)
 * </pre>
 * The output is computed on the padded width: its columns ow ≥ outW (= inW) are not part of
 * the convolution and are dropped by {@link #compact}. For that the output must be as wide as
 * the input; the height may differ. The last slice ends {@link #length()} − slack floats in,
 * so the buffer holds a GEMM's reads past q (the padded width and the panel width) in zeros.
 */
record PaddedInput(int channels, int inH, int inW, int padH, int padW, int wp, int outH, int[] offsets,
                   int length) {

    /**
     * The layout for g's channels of one group; the buffer has {@code slack} more floats (for
     * {@link Kernels#shiftedGemm}'s reads past the last column).
     */
    static PaddedInput of(ConvGeometry g, int slack) {
        if (!g.isSameWidth()) {
            throw new IllegalArgumentException("PaddedInput: needs a stride-1 convolution as wide as its input, got " + g);
        }
        int wp = g.inW() + 2 * g.padW();
        int plane = (g.inH() + 2 * g.padH()) * wp;
        int taps = g.kernelH() * g.kernelW();
        int[] offsets = new int[g.groupIn() * taps];
        for (int c = 0; c < g.groupIn(); c++) {
            for (int t = 0; t < taps; t++) {
                offsets[c * taps + t] = c * plane + t / g.kernelW() * g.dilationH() * wp + t % g.kernelW() * g.dilationW();
            }
        }
        return new PaddedInput(g.groupIn(), g.inH(), g.inW(), g.padH(), g.padW(), wp, g.outH(), offsets,
                g.groupIn() * plane + 2 * g.padW() + slack);
    }

    /** Floats per padded plane. */
    int plane() {
        return (inH + 2 * padH) * wp;
    }

    /** The columns of the product: the output positions on the padded width, outH·wp. */
    int columns() {
        return outH * wp;
    }

    /**
     * Copies the channels at {@code x[xOff]} into the planes' interiors; the border is not
     * written, so it must be zero from an earlier {@code fill} of the buffer.
     */
    void copyIn(Kernels k, float[] x, int xOff, float[] xp) {
        int plane = plane();
        for (int c = 0; c < channels; c++) {
            k.copyRows(x, xOff + c * inH * inW, inW, xp, c * plane + padH * wp + padW, wp, inH, inW);
        }
    }

    /**
     * y[yOff + (o·outH + oh)·inW + ow] = yp[ypOff + o·columns() + oh·wp + ow] for ow < inW: the
     * output of {@code count} channels without the padded width's extra columns.
     */
    void compact(Kernels k, float[] yp, int ypOff, int count, float[] y, int yOff) {
        k.copyRows(yp, ypOff, wp, y, yOff, inW, count * outH, inW);
    }

    /**
     * dyp[dypOff + o·stride + oh·wp + ow] = dy[dyOff + (o·outH + oh)·inW + ow] for ow &lt; inW:
     * {@code count} channels of an output gradient on the padded width, each {@code stride} ≥
     * {@link #columns()} floats apart, for the weight gradient ({@link Kernels#shiftedGemmNT});
     * the extra columns are not written, so they must be zero from an earlier {@code fill}.
     */
    void expand(Kernels k, float[] dy, int dyOff, int count, float[] dyp, int dypOff, int stride) {
        for (int o = 0; o < count; o++) {
            k.copyRows(dy, dyOff + o * outH * inW, inW, dyp, dypOff + o * stride, wp, outH, inW);
        }
    }
}
