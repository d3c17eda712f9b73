package dev.myelin.tensor;

/**
 * Matrix products on the kernels' GEMM, with transposes folded into the kernel rather than
 * copied, and their backward rules (themselves matrix products, hence differentiable).
 *
 * <pre>
 * C = op(A)·op(B):   dA = dC·op(B)ᵀ  (transposed back when A was),   dB = op(A)ᵀ·dC  (likewise)
 * </pre>
 */
final class LinAlg {
    private LinAlg() {
    }

    /** Rows of op(X) for X's last two dims [r, c]. */
    private static int rows(Tensor x, boolean trans) {
        return x.shape[x.shape.length - (trans ? 1 : 2)];
    }

    private static int cols(Tensor x, boolean trans) {
        return x.shape[x.shape.length - (trans ? 2 : 1)];
    }

    static Tensor matmul(Tensor a, Tensor b, boolean ta, boolean tb) {
        int ra = a.shape.length;
        int rb = b.shape.length;
        if (!((ra == 2 && rb == 2) || (ra == 3 && rb == 3 && a.shape[0] == b.shape[0]))) {
            throw new IllegalArgumentException("matmul: expected [m,k]·[k,n] or [b,m,k]·[b,k,n], got "
                    + Shapes.str(a.shape) + " and " + Shapes.str(b.shape));
        }
        int m = rows(a, ta);
        int k = cols(a, ta);
        int k2 = rows(b, tb);
        int n = cols(b, tb);
        if (k != k2) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shapes.str(a.shape)
                    + (ta ? "ᵀ" : "") + " · " + Shapes.str(b.shape) + (tb ? "ᵀ" : "") + " (" + k + " vs " + k2 + ")");
        }
        int batch = ra == 3 ? a.shape[0] : 1;
        Tensor out = Tensor.empty(ra == 3 ? new int[] {batch, m, n} : new int[] {m, n}); // beta 0: C is written, not read
        int lda = a.shape[ra - 1];
        int ldb = b.shape[rb - 1];
        for (int i = 0; i < batch; i++) {
            Pointwise.K.gemm(ta, tb, m, n, k, a.data, i * m * k, lda, b.data, i * k * n, ldb,
                    0f, out.data, i * m * n, n);
        }
        return out.record(Op.MATMUL, g -> backward(g, a, b, ta, tb), a, b);
    }

    private static Tensor[] backward(Tensor g, Tensor a, Tensor b, boolean ta, boolean tb) {
        Tensor ga = null;
        Tensor gb = null;
        if (a.requiresGrad()) {
            ga = ta ? b.matmul(g, tb, true) : g.matmul(b, false, !tb);
        }
        if (b.requiresGrad()) {
            gb = tb ? g.matmul(a, true, ta) : a.matmul(g, !ta, false);
        }
        return new Tensor[] {ga, gb};
    }

    /** y = x·Wᵀ + b, x [n,in] (or [..., in]), W [out,in], b [out]. */
    static Tensor linear(Tensor x, Tensor w, Tensor bias) {
        if (w.shape.length != 2 || x.shape.length < 1 || x.shape[x.shape.length - 1] != w.shape[1]) {
            throw new IllegalArgumentException("linear: input's last dimension must equal the weight's in_features: input "
                    + Shapes.str(x.shape) + ", weight " + Shapes.str(w.shape));
        }
        int in = w.shape[1];
        int outF = w.shape[0];
        int n = x.data.length / Math.max(1, in);
        int[] os = x.shape.clone();
        os[os.length - 1] = outF;
        Tensor out = Tensor.empty(os); // the bias rows, or beta 0, write every element
        if (bias != null) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(bias.data, 0, out.data, i * outF, outF);
            }
        }
        Pointwise.K.gemm(false, true, n, outF, in, x.data, 0, in, w.data, 0, in,
                bias != null ? 1f : 0f, out.data, 0, outF);
        int[] xs = x.shape;
        return out.record(Op.LINEAR, g -> {
            boolean flat = xs.length == 2; // no views then: a view would hold the storage past the step
            Tensor g2 = flat ? g : g.reshape(n, outF);
            Tensor x2 = flat ? x : x.reshape(n, in);
            return new Tensor[] {
                x.requiresGrad() ? (flat ? g2.matmul(w) : g2.matmul(w).reshape(xs)) : null,
                w.requiresGrad() ? g2.matmul(x2, true, false) : null,
                bias != null && bias.requiresGrad() ? g2.sum(0, false) : null};
        }, x, w, bias);
    }
}
