package dev.myelin.tensor;

import dev.myelin.kernel.ConvGeometry;
import dev.myelin.kernel.Convolution;

/**
 * 2-D convolution as three differentiable ops that are each other's backward rules, so
 * gradients of any order exist (PyTorch's {@code convolution_backward} is built the same way).
 * With y = conv(x, w) (cross-correlation):
 * <pre>
 * conv(x, w)              d/dx = gradInput(dy, w)      d/dw = gradWeight(x, dy)        d/db = Σ_{n,h,w} dy
 * gradInput(dy, w) → dx   d/d(dy) = conv(g, w)        d/dw = gradWeight(g, dy)
 * gradWeight(x, dy) → dw  d/dx = gradInput(dy, g)      d/d(dy) = conv(x, g)
 * </pre>
 * Each identity holds because the op is linear in each argument: for instance
 * ⟨g, gradInput(dy, w)⟩ = ⟨conv(g, w), dy⟩. The kernels are im2col + GEMM
 * ({@link Convolution}).
 */
final class ConvOps {
    private ConvOps() {
    }

    static Tensor conv2d(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec) {
        ConvGeometry g = spec.geometry(x.shape, w.shape);
        if (bias != null && (bias.dim() != 1 || bias.shape[0] != w.shape[0])) {
            throw new IllegalArgumentException("conv2d: expected a bias [" + w.shape[0] + "] (one per output channel), got "
                    + Shapes.str(bias.shape));
        }
        Tensor y = Tensor.empty(g.batch(), g.outChannels(), g.outH(), g.outW()); // forward writes all of y
        Convolution.forward(Pointwise.K, g, x.data, w.data, bias == null ? null : bias.data, y.data);
        return y.record(Op.CONV2D, dy -> new Tensor[] {
            x.requiresGrad() ? gradInput(dy, w, spec, x.shape) : null,
            w.requiresGrad() ? gradWeight(x, dy, spec, w.shape) : null,
            bias != null && bias.requiresGrad() ? dy.sum(new int[] {0, 2, 3}, false) : null}, x, w, bias);
    }

    /** The input gradient (transposed convolution of dy), shaped like the input {@code xShape}. */
    static Tensor gradInput(Tensor dy, Tensor w, Conv2dSpec spec, int[] xShape) {
        ConvGeometry g = checkedGeometry(spec, xShape, w.shape, dy);
        Tensor dx = Tensor.empty(xShape); // backwardInput writes every element
        Convolution.backwardInput(Pointwise.K, g, dy.data, w.data, dx.data);
        int[] ws = w.shape;
        return dx.record(Op.CONV2D_GRAD_INPUT, gg -> new Tensor[] {
            dy.requiresGrad() ? conv2d(gg, w, null, spec) : null,
            w.requiresGrad() ? gradWeight(gg, dy, spec, ws) : null}, dy, w);
    }

    /** The weight gradient Σ_n dY_n·col(x_n)ᵀ, shaped like the weight {@code wShape}. */
    static Tensor gradWeight(Tensor x, Tensor dy, Conv2dSpec spec, int[] wShape) {
        ConvGeometry g = checkedGeometry(spec, x.shape, wShape, dy);
        Tensor dw = Tensor.empty(wShape); // backwardWeight writes every element
        Convolution.backwardWeight(Pointwise.K, g, x.data, dy.data, dw.data);
        int[] xs = x.shape;
        return dw.record(Op.CONV2D_GRAD_WEIGHT, gg -> new Tensor[] {
            x.requiresGrad() ? gradInput(dy, gg, spec, xs) : null,
            dy.requiresGrad() ? conv2d(x, gg, null, spec) : null}, x, dy);
    }

    private static ConvGeometry checkedGeometry(Conv2dSpec spec, int[] xShape, int[] wShape, Tensor dy) {
        ConvGeometry g = spec.geometry(xShape, wShape);
        int[] expected = {g.batch(), g.outChannels(), g.outH(), g.outW()};
        if (!java.util.Arrays.equals(expected, dy.shape)) {
            throw new IllegalArgumentException("conv2d backward: expected an output gradient " + Shapes.str(expected)
                    + ", got " + Shapes.str(dy.shape));
        }
        return g;
    }
}
