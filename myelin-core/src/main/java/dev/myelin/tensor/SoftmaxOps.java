package dev.myelin.tensor;

/**
 * Softmax and log-softmax along one axis, computed around the maximum for stability, with
 * backward rules as tensor expressions:
 * <pre>
 * y = log softmax(x):  dx = dy - exp(y) · Σ dy
 * y = softmax(x):      dx = y · (dy - Σ dy·y)
 * </pre>
 */
final class SoftmaxOps {
    private SoftmaxOps() {
    }

    /** Applies the row-wise transform in place on a copy, rows along the last axis after moving. */
    private static Tensor rows(Tensor x, int ax, boolean log) {
        int outer = Shapes.prod(x.shape, 0, ax);
        int d = x.shape[ax];
        int inner = Shapes.prod(x.shape, ax + 1, x.shape.length);
        Tensor out = Tensor.zeros(x.shape);
        float[] buf = new float[d];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * d * inner + i;
                float m = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < d; j++) {
                    buf[j] = x.data[base + j * inner];
                    m = Math.max(m, buf[j]);
                }
                if (Float.isInfinite(m)) {
                    m = 0f;
                }
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += Math.exp(buf[j] - m);
                }
                float lse = (float) (m + Math.log(s));
                for (int j = 0; j < d; j++) {
                    out.data[base + j * inner] = log ? buf[j] - lse : (float) Math.exp(buf[j] - lse);
                }
            }
        }
        return out;
    }

    static Tensor logSoftmax(Tensor x, int axis) {
        int ax = Shapes.axis(axis, x.shape.length);
        Tensor y = rows(x, ax, true);
        return y.record(Op.LOG_SOFTMAX, g -> new Tensor[] {g.sub(y.exp().mul(g.sum(ax, true)))}, x);
    }

    static Tensor softmax(Tensor x, int axis) {
        int ax = Shapes.axis(axis, x.shape.length);
        Tensor y = rows(x, ax, false);
        return y.record(Op.SOFTMAX, g -> new Tensor[] {y.mul(g.sub(g.mul(y).sum(ax, true)))}, x);
    }
}
