package dev.myelin.tensor;

import java.util.List;

/**
 * Shape and indexing operations: reshape, permute, concat, slice and its adjoint embed,
 * index-select and its adjoint index-add, gather and its adjoint scatter. Each op's backward
 * is its adjoint, so gradients of gradients work.
 */
final class Indexing {
    private Indexing() {
    }

    static Tensor reshape(Tensor x, int[] newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension may be -1, got " + Shapes.str(newShape));
                }
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            s[infer] = known == 0 ? 0 : (int) (x.data.length / known);
        }
        if (Shapes.numel(s) != x.data.length) {
            throw new IllegalArgumentException("reshape: shape " + Shapes.str(x.shape) + " (" + x.data.length
                    + " elements) cannot become " + Shapes.str(newShape));
        }
        if (java.util.Arrays.equals(s, x.shape)) {
            return x;
        }
        int[] old = x.shape;
        return new Tensor(x.data, s).record(Op.RESHAPE, g -> new Tensor[] {g.reshape(old)}, x);
    }

    static Tensor permute(Tensor x, int[] dims) {
        int r = x.shape.length;
        if (dims.length != r) {
            throw new IllegalArgumentException("permute: expected " + r + " dimensions, got " + Shapes.str(dims));
        }
        int[] p = new int[r];
        int[] inverse = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            p[i] = Shapes.axis(dims[i], r);
            if (seen[p[i]]) {
                throw new IllegalArgumentException("permute: dimension " + p[i] + " appears twice in " + Shapes.str(dims));
            }
            seen[p[i]] = true;
            inverse[p[i]] = i;
        }
        int[] os = new int[r];
        int[] srcStrides = Shapes.strides(x.shape);
        int[] st = new int[r];
        for (int i = 0; i < r; i++) {
            os[i] = x.shape[p[i]];
            st[i] = srcStrides[p[i]];
        }
        Tensor out = Tensor.zeros(os);
        int[] idx = new int[r];
        int src = 0;
        for (int o = 0; o < out.data.length; o++) {
            out.data[o] = x.data[src];
            for (int d = r - 1; d >= 0; d--) {
                idx[d]++;
                src += st[d];
                if (idx[d] < os[d]) {
                    break;
                }
                src -= st[d] * idx[d];
                idx[d] = 0;
            }
        }
        return out.record(Op.PERMUTE, g -> new Tensor[] {g.permute(inverse)}, x);
    }

    static Tensor concat(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat: expected at least one tensor");
        }
        Tensor first = parts.get(0);
        int ax = Shapes.axis(axis, first.shape.length);
        int total = 0;
        for (Tensor t : parts) {
            for (int i = 0; i < first.shape.length; i++) {
                if (t.shape.length != first.shape.length || (i != ax && t.shape[i] != first.shape[i])) {
                    throw new IllegalArgumentException("concat: shapes " + Shapes.str(first.shape) + " and "
                            + Shapes.str(t.shape) + " differ outside dimension " + ax);
                }
            }
            total += t.shape[ax];
        }
        int[] os = first.shape.clone();
        os[ax] = total;
        int outer = Shapes.prod(os, 0, ax);
        int inner = Shapes.prod(os, ax + 1, os.length);
        Tensor out = Tensor.zeros(os);
        int at = 0;
        int[] starts = new int[parts.size()];
        for (int p = 0; p < parts.size(); p++) {
            Tensor t = parts.get(p);
            int block = t.shape[ax] * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(t.data, o * block, out.data, o * total * inner + at * inner, block);
            }
            starts[p] = at;
            at += t.shape[ax];
        }
        Tensor[] inputs = parts.toArray(new Tensor[0]);
        return out.record(Op.CONCAT, g -> {
            Tensor[] gs = new Tensor[inputs.length];
            for (int p = 0; p < inputs.length; p++) {
                gs[p] = g.slice(ax, starts[p], starts[p] + inputs[p].shape[ax]);
            }
            return gs;
        }, inputs);
    }

    /** Copies a block [start, start+len) along axis between a "full" and a "part" layout. */
    private static void copyBlock(float[] full, int[] fullShape, float[] part, int ax, int start, int len, boolean toPart) {
        int outer = Shapes.prod(fullShape, 0, ax);
        int inner = Shapes.prod(fullShape, ax + 1, fullShape.length);
        int d = fullShape[ax];
        for (int o = 0; o < outer; o++) {
            int f = (o * d + start) * inner;
            int q = o * len * inner;
            if (toPart) {
                System.arraycopy(full, f, part, q, len * inner);
            } else {
                System.arraycopy(part, q, full, f, len * inner);
            }
        }
    }

    static Tensor slice(Tensor x, int axis, int start, int end) {
        int ax = Shapes.axis(axis, x.shape.length);
        if (start < 0 || end > x.shape[ax] || start > end) {
            throw new IllegalArgumentException("slice: [" + start + ", " + end + ") is outside dimension " + ax
                    + " of shape " + Shapes.str(x.shape));
        }
        int[] os = x.shape.clone();
        os[ax] = end - start;
        Tensor out = Tensor.zeros(os);
        copyBlock(x.data, x.shape, out.data, ax, start, end - start, true);
        int full = x.shape[ax];
        return out.record(Op.SLICE, g -> new Tensor[] {g.embed(ax, start, full)}, x);
    }

    static Tensor embed(Tensor x, int axis, int start, int fullSize) {
        int ax = Shapes.axis(axis, x.shape.length);
        int len = x.shape[ax];
        if (start < 0 || start + len > fullSize) {
            throw new IllegalArgumentException("embed: [" + start + ", " + (start + len) + ") does not fit in " + fullSize);
        }
        int[] os = x.shape.clone();
        os[ax] = fullSize;
        Tensor out = Tensor.zeros(os);
        copyBlock(out.data, os, x.data, ax, start, len, false);
        return out.record(Op.EMBED, g -> new Tensor[] {g.slice(ax, start, start + len)}, x);
    }

    private static void checkIndices(int[] indices, int size, String what) {
        for (int i : indices) {
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException(what + ": index " + i + " is outside [0, " + size + ")");
            }
        }
    }

    static Tensor indexSelect(Tensor x, int axis, int[] indices) {
        int ax = Shapes.axis(axis, x.shape.length);
        checkIndices(indices, x.shape[ax], "indexSelect");
        int[] os = x.shape.clone();
        os[ax] = indices.length;
        int outer = Shapes.prod(x.shape, 0, ax);
        int inner = Shapes.prod(x.shape, ax + 1, x.shape.length);
        int d = x.shape[ax];
        Tensor out = Tensor.zeros(os);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < indices.length; j++) {
                System.arraycopy(x.data, (o * d + indices[j]) * inner, out.data, (o * indices.length + j) * inner, inner);
            }
        }
        int[] idx = indices.clone();
        return out.record(Op.INDEX_SELECT, g -> new Tensor[] {g.indexAdd(ax, idx, d)}, x);
    }

    static Tensor indexAdd(Tensor x, int axis, int[] indices, int size) {
        int ax = Shapes.axis(axis, x.shape.length);
        checkIndices(indices, size, "indexAdd");
        if (x.shape[ax] != indices.length) {
            throw new IllegalArgumentException("indexAdd: dimension " + ax + " has " + x.shape[ax] + " slices but "
                    + indices.length + " indices were given");
        }
        int[] os = x.shape.clone();
        os[ax] = size;
        int outer = Shapes.prod(x.shape, 0, ax);
        int inner = Shapes.prod(x.shape, ax + 1, x.shape.length);
        Tensor out = Tensor.zeros(os);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < indices.length; j++) {
                Pointwise.K.axpy(1f, x.data, (o * indices.length + j) * inner, out.data, (o * size + indices[j]) * inner, inner);
            }
        }
        int[] idx = indices.clone();
        return out.record(Op.INDEX_ADD, g -> new Tensor[] {g.indexSelect(ax, idx)}, x);
    }

    /** Class indices held as floats, validated against the class count. */
    static int[] classIndices(Tensor indices, int rows, int classes) {
        if (indices.data.length != rows) {
            throw new IllegalArgumentException("expected " + rows + " class indices (one per row), got shape "
                    + Shapes.str(indices.shape));
        }
        int[] idx = new int[rows];
        for (int i = 0; i < rows; i++) {
            float v = indices.data[i];
            int c = (int) v;
            if (c != v || c < 0 || c >= classes) {
                throw new IllegalArgumentException("target " + v + " at row " + i + " is not a class index in [0, "
                        + classes + "); check the label column and the model's output size");
            }
            idx[i] = c;
        }
        return idx;
    }

    static Tensor gather(Tensor x, Tensor indices) {
        if (x.shape.length != 2) {
            throw new IllegalArgumentException("gather: expected [n, classes], got " + Shapes.str(x.shape));
        }
        int n = x.shape[0];
        int c = x.shape[1];
        int[] idx = classIndices(indices, n, c);
        Tensor out = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            out.data[i] = x.data[i * c + idx[i]];
        }
        return out.record(Op.GATHER, g -> new Tensor[] {g.scatter(indices, c)}, x);
    }

    static Tensor scatter(Tensor x, Tensor indices, int classes) {
        int n = x.data.length;
        int[] idx = classIndices(indices, n, classes);
        Tensor out = Tensor.zeros(n, classes);
        for (int i = 0; i < n; i++) {
            out.data[i * classes + idx[i]] = x.data[i];
        }
        return out.record(Op.SCATTER, g -> new Tensor[] {g.gather(indices)}, x);
    }
}
