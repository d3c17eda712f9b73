package dev.myelin.tensor;

import dev.myelin.kernel.ConvGeometry;

/**
 * The hyperparameters of a 2-D convolution besides its weight: stride, zero padding and
 * dilation per spatial axis (height, width), and the number of groups (PyTorch's
 * {@code conv2d(input, weight, bias, stride, padding, dilation, groups)}). Defaults: stride 1,
 * padding 0, dilation 1, groups 1.
 */
public record Conv2dSpec(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {

    public Conv2dSpec {
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("conv2d stride: expected >= 1, got " + strideH + "x" + strideW);
        }
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d padding: expected >= 0, got " + padH + "x" + padW);
        }
        if (dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("conv2d dilation: expected >= 1, got " + dilationH + "x" + dilationW);
        }
        if (groups < 1) {
            throw new IllegalArgumentException("conv2d groups: expected >= 1, got " + groups);
        }
    }

    /** The same stride, padding and dilation along both axes. */
    public static Conv2dSpec of(int stride, int padding, int dilation, int groups) {
        return new Conv2dSpec(stride, stride, padding, padding, dilation, dilation, groups);
    }

    /** Stride 1, no padding, no dilation, one group. */
    public static Conv2dSpec defaults() {
        return of(1, 0, 1, 1);
    }

    /**
     * The geometry of this convolution for an input [N, C, H, W] and a weight
     * [O, C/groups, kH, kW], with an error naming what does not fit.
     */
    public ConvGeometry geometry(int[] x, int[] w) {
        if (x.length != 4) {
            throw new IllegalArgumentException("conv2d: expected an input [N, C, H, W], got " + Shapes.str(x));
        }
        if (w.length != 4) {
            throw new IllegalArgumentException("conv2d: expected a weight [out, in/groups, kH, kW], got " + Shapes.str(w));
        }
        if (x[1] != w[1] * groups) {
            throw new IllegalArgumentException("conv2d: the weight " + Shapes.str(w) + " with groups=" + groups
                    + " expects " + w[1] * groups + " input channels, the input " + Shapes.str(x) + " has " + x[1]);
        }
        if (w[0] % groups != 0) {
            throw new IllegalArgumentException("conv2d: out channels (" + w[0] + ") must be divisible by groups (" + groups + ")");
        }
        return new ConvGeometry(x[0], x[1], x[2], x[3], w[0], w[2], w[3], strideH, strideW, padH, padW,
                dilationH, dilationW, groups);
    }
}
