package dev.myelin.tensor;

import dev.myelin.kernel.PoolWindows;
import dev.myelin.kernel.Pooling;

/**
 * Max and average pooling over NCHW tensors as differentiable ops ({@link Pooling} has the
 * loops and formulas). Max pooling's gradient routes dy to the recorded argmax positions; when
 * a graph of the backward pass is wanted it is written as an {@code indexAdd}, whose own
 * gradient gathers at the same positions. Average pooling (also adaptive) and its gradient are
 * linear maps that are each other's adjoints, so each is the other's backward rule.
 */
final class PoolOps {
    private PoolOps() {
    }

    static Tensor maxPool2d(Tensor x, Pool2dSpec spec) {
        PoolWindows[] w = spec.windows(x.shape, "maxPool2d");
        int planes = x.shape[0] * x.shape[1];
        Tensor y = Tensor.zeros(x.shape[0], x.shape[1], w[0].count(), w[1].count());
        int[] argmax = new int[y.data.length];
        Pooling.maxForward(Pointwise.K, x.data, planes, w[0], w[1], y.data, argmax);
        int[] xs = x.shape;
        return y.record(Op.MAX_POOL2D, g -> new Tensor[] {maxBackward(g, argmax, xs, planes)}, x);
    }

    private static Tensor maxBackward(Tensor g, int[] argmax, int[] xShape, int planes) {
        int xNumel = Shapes.numel(xShape);
        if (GradMode.isEnabled()) {
            return g.reshape(g.numel()).indexAdd(0, argmax, xNumel).reshape(xShape);
        }
        Tensor dx = Tensor.zeros(xShape);
        Pooling.maxBackward(g.data, argmax, planes, g.numel() / planes, xNumel / planes, dx.data);
        return dx;
    }

    static Tensor avgPool2d(Tensor x, Pool2dSpec spec) {
        PoolWindows[] w = spec.windows(x.shape, "avgPool2d");
        return average(x, w[0], w[1]);
    }

    static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        if (x.shape.length != 4) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: expected an input [N, C, H, W], got " + Shapes.str(x.shape));
        }
        return average(x, PoolWindows.adaptive(x.shape[2], outH), PoolWindows.adaptive(x.shape[3], outW));
    }

    private static Tensor average(Tensor x, PoolWindows rows, PoolWindows cols) {
        Tensor y = Tensor.zeros(x.shape[0], x.shape[1], rows.count(), cols.count());
        Pooling.avgForward(x.data, x.shape[0] * x.shape[1], rows, cols, y.data);
        return y.record(Op.AVG_POOL2D, g -> new Tensor[] {averageGrad(g, rows, cols)}, x);
    }

    /** The adjoint of {@link #average}: spreads each gradient over its window. */
    private static Tensor averageGrad(Tensor g, PoolWindows rows, PoolWindows cols) {
        Tensor dx = Tensor.zeros(g.shape[0], g.shape[1], rows.size(), cols.size());
        Pooling.avgBackward(g.data, g.shape[0] * g.shape[1], rows, cols, dx.data);
        return dx.record(Op.AVG_POOL2D_GRAD, gg -> new Tensor[] {average(gg, rows, cols)}, g);
    }
}
