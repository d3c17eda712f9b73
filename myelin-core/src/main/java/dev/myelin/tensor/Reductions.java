package dev.myelin.tensor;

import java.util.Arrays;

/**
 * Reductions over chosen axes (sum, mean, variance, max, argmax, logsumexp) and their
 * inverses for the backward pass (broadcastTo, sumTo). A reduction over several axes runs as
 * one reduction per axis.
 */
final class Reductions {
    private Reductions() {
    }

    // ------------------------------------------------------------ raw single-axis sum

    /** Σ over one axis, keeping it as size 1. */
    static Tensor sumAxisRaw(Tensor x, int axis) {
        int outer = Shapes.prod(x.shape, 0, axis);
        int d = x.shape[axis];
        int inner = Shapes.prod(x.shape, axis + 1, x.shape.length);
        int[] os = x.shape.clone();
        os[axis] = 1;
        Tensor out = Tensor.zeros(os);
        for (int o = 0; o < outer; o++) {
            if (inner == 1) {
                out.data[o] = Pointwise.K.sum(x.data, o * d, d);
            } else {
                for (int j = 0; j < d; j++) {
                    Pointwise.K.axpy(1f, x.data, (o * d + j) * inner, out.data, o * inner, inner);
                }
            }
        }
        return out;
    }

    private static int[] normalize(int[] axes, int rank) {
        int[] a = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            a[i] = Shapes.axis(axes[i], rank);
        }
        Arrays.sort(a);
        for (int i = 1; i < a.length; i++) {
            if (a[i] == a[i - 1]) {
                throw new IllegalArgumentException("axes " + Arrays.toString(axes) + " name dimension " + a[i] + " twice");
            }
        }
        return a;
    }

    private static int[] reducedShape(int[] shape, int[] axes, boolean keepDim) {
        int[] s = shape.clone();
        for (int a : axes) {
            s[a] = 1;
        }
        if (keepDim) {
            return s;
        }
        int[] r = new int[shape.length - axes.length];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (Arrays.binarySearch(axes, i) < 0) {
                r[j++] = shape[i];
            }
        }
        return r;
    }

    // ------------------------------------------------------------ differentiable

    static Tensor sumAll(Tensor x) {
        Tensor out = Tensor.scalar(Pointwise.K.sum(x.data, 0, x.data.length));
        return out.record(Op.SUM, g -> new Tensor[] {g.broadcastTo(x.shape)}, x);
    }

    static Tensor sum(Tensor x, int[] axes, boolean keepDim) {
        int[] a = normalize(axes, x.shape.length);
        Tensor r = x;
        for (int ax : a) {
            r = sumAxisRaw(r, ax);
        }
        int[] kept = r.shape;
        Tensor out = new Tensor(r.data, reducedShape(x.shape, a, keepDim));
        return out.record(Op.SUM, g -> new Tensor[] {g.reshape(kept).broadcastTo(x.shape)}, x);
    }

    static Tensor mean(Tensor x, int[] axes, boolean keepDim) {
        int[] a = normalize(axes, x.shape.length);
        int count = 1;
        for (int ax : a) {
            count *= x.shape[ax];
        }
        return sum(x, a, keepDim).mul(1f / count);
    }

    static Tensor var(Tensor x, int[] axes, boolean unbiased, boolean keepDim) {
        int[] a = normalize(axes, x.shape.length);
        int count = 1;
        for (int ax : a) {
            count *= x.shape[ax];
        }
        Tensor centered = x.sub(mean(x, a, true));
        int denom = unbiased ? count - 1 : count;
        return centered.mul(centered).sum(a, keepDim).mul(1f / denom);
    }

    static Tensor max(Tensor x, int axis, boolean keepDim) {
        int ax = Shapes.axis(axis, x.shape.length);
        int[] idx = argmaxRaw(x, ax);
        int outer = Shapes.prod(x.shape, 0, ax);
        int d = x.shape[ax];
        int inner = Shapes.prod(x.shape, ax + 1, x.shape.length);
        float[] vals = new float[outer * inner];
        Tensor mask = Tensor.zeros(x.shape);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int src = (o * d + idx[o * inner + i]) * inner + i;
                vals[o * inner + i] = x.data[src];
                mask.data[src] = 1f;
            }
        }
        int[] kept = Shapes.withoutAxis(x.shape, ax, true);
        Tensor out = new Tensor(vals, Shapes.withoutAxis(x.shape, ax, keepDim));
        return out.record(Op.MAX, g -> new Tensor[] {g.reshape(kept).broadcastTo(x.shape).mul(mask)}, x);
    }

    static Tensor argmax(Tensor x, int axis, boolean keepDim) {
        int ax = Shapes.axis(axis, x.shape.length);
        int[] idx = argmaxRaw(x, ax);
        float[] v = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            v[i] = idx[i];
        }
        return new Tensor(v, Shapes.withoutAxis(x.shape, ax, keepDim));
    }

    /** Index of the first maximum along the axis for each (outer, inner) position; NaN wins. */
    static int[] argmaxRaw(Tensor x, int ax) {
        int outer = Shapes.prod(x.shape, 0, ax);
        int d = x.shape[ax];
        if (d == 0) {
            throw new IllegalArgumentException("max/argmax over an empty dimension " + ax + " of shape " + Shapes.str(x.shape));
        }
        int inner = Shapes.prod(x.shape, ax + 1, x.shape.length);
        int[] idx = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * d * inner + i;
                int best = 0;
                float bv = x.data[base];
                for (int j = 1; j < d && !Float.isNaN(bv); j++) {
                    float v = x.data[base + j * inner];
                    if (v > bv || Float.isNaN(v)) {
                        bv = v;
                        best = j;
                    }
                }
                idx[o * inner + i] = best;
            }
        }
        return idx;
    }

    static Tensor logsumexp(Tensor x, int axis, boolean keepDim) {
        int ax = Shapes.axis(axis, x.shape.length);
        Tensor m = x.detach().max(ax, true);
        // guard rows whose max is ±inf so x - m stays finite
        for (int i = 0; i < m.data.length; i++) {
            if (Float.isInfinite(m.data[i])) {
                m.data[i] = 0f;
            }
        }
        Tensor r = x.sub(m).exp().sum(ax, true).log().add(m);
        return keepDim ? r : r.reshape(Shapes.withoutAxis(x.shape, ax, false));
    }

    // ------------------------------------------------------------ broadcast and its inverse

    static Tensor broadcastRaw(Tensor x, int[] target) {
        if (Arrays.equals(x.shape, target)) {
            return x;
        }
        int[] check = Shapes.broadcast(x.shape, target);
        if (!Arrays.equals(check, target)) {
            throw new IllegalArgumentException("cannot broadcast shape " + Shapes.str(x.shape) + " to " + Shapes.str(target));
        }
        Tensor out = Tensor.zeros(target);
        Broadcast.forEachRow(target, x.shape, target, (oOff, aOff, aStep, bOff, bStep, n) -> {
            if (aStep == 1) {
                System.arraycopy(x.data, aOff, out.data, oOff, n);
            } else {
                Arrays.fill(out.data, oOff, oOff + n, x.data[aOff]);
            }
        });
        return out;
    }

    static Tensor broadcastTo(Tensor x, int[] target) {
        if (Arrays.equals(x.shape, target)) {
            return x;
        }
        return broadcastRaw(x, target).record(Op.BROADCAST, g -> new Tensor[] {g.sumTo(x.shape)}, x);
    }

    static Tensor sumTo(Tensor g, int[] target) {
        if (Arrays.equals(g.shape, target)) {
            return g;
        }
        int lead = g.shape.length - target.length;
        if (lead < 0) {
            throw new IllegalArgumentException("sumTo: cannot reduce shape " + Shapes.str(g.shape) + " to " + Shapes.str(target));
        }
        int[] axes = new int[g.shape.length];
        int n = 0;
        for (int i = 0; i < g.shape.length; i++) {
            if (i < lead || (target[i - lead] == 1 && g.shape[i] != 1)) {
                axes[n++] = i;
            }
        }
        Tensor s = n == 0 ? g : g.sum(Arrays.copyOf(axes, n), true);
        return s.reshape(target);
    }
}
