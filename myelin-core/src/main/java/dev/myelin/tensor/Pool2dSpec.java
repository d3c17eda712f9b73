package dev.myelin.tensor;

import dev.myelin.kernel.PoolWindows;

/**
 * The window of a 2-D max or average pooling: kernel, stride and zero padding per axis
 * (height, width), and whether the average counts the padded positions (PyTorch's
 * {@code count_include_pad}, default true; max pooling ignores it). PyTorch's rules: stride
 * defaults to the kernel, padding to 0, and padding may be at most half the kernel.
 * {@code ceil_mode} is not offered (PyTorch's default, false, is what is computed).
 */
public record Pool2dSpec(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, boolean countIncludePad) {

    public Pool2dSpec {
        if (kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException("pooling kernel: expected >= 1, got " + kernelH + "x" + kernelW);
        }
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("pooling stride: expected >= 1, got " + strideH + "x" + strideW);
        }
        if (padH < 0 || padW < 0 || padH > kernelH / 2 || padW > kernelW / 2) {
            throw new IllegalArgumentException("pooling padding: expected between 0 and half the kernel ("
                    + kernelH / 2 + "x" + kernelW / 2 + "), got " + padH + "x" + padW);
        }
    }

    /** A square window; stride 0 means "the kernel" (PyTorch's stride=None). */
    public static Pool2dSpec of(int kernel, int stride, int padding) {
        int s = stride == 0 ? kernel : stride;
        return new Pool2dSpec(kernel, kernel, s, s, padding, padding, true);
    }

    /** The same window with {@code count_include_pad} set as given. */
    public Pool2dSpec withCountIncludePad(boolean on) {
        return new Pool2dSpec(kernelH, kernelW, strideH, strideW, padH, padW, on);
    }

    /** The windows along the height and the width of an input [N, C, h, w]. */
    PoolWindows[] windows(int[] xShape, String op) {
        if (xShape.length != 4) {
            throw new IllegalArgumentException(op + ": expected an input [N, C, H, W], got " + Shapes.str(xShape));
        }
        try {
            return new PoolWindows[] {
                PoolWindows.sliding(xShape[2], kernelH, strideH, padH, countIncludePad),
                PoolWindows.sliding(xShape[3], kernelW, strideW, padW, countIncludePad)};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + " on input " + Shapes.str(xShape) + ": " + e.getMessage(), e);
        }
    }
}
