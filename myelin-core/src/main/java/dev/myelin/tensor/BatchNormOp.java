package dev.myelin.tensor;

import java.util.List;

/**
 * Batch normalization in training mode as one fused op (Ioffe &amp; Szegedy 2015), over a
 * tensor laid out [N, C, L] (L = 1 for [N, C], L = H·W for images): per channel c, over the
 * M = N·L values,
 * <pre>
 * μ = mean(x),  σ² = mean((x − μ)²),  x̂ = (x − μ)/√(σ² + ε),  y = γ·x̂ + β
 * dx = (1/M)·(1/√(σ²+ε))·(M·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)),  dx̂ = dy·γ,  dγ = Σ dy·x̂,  dβ = Σ dy
 * </pre>
 * (the backward pass of training-dnns-tricks.md). The batch mean and biased variance are
 * returned so the layer can update its running averages. When a graph of the backward pass
 * is wanted (createGraph), the gradient is computed through the same formula written with
 * differentiable tensor ops instead, so it can be differentiated again.
 */
final class BatchNormOp {
    private BatchNormOp() {
    }

    /** The output and the per-channel batch statistics (biased variance). */
    record Result(Tensor output, float[] mean, float[] var) {
    }

    static Result forward(Tensor x, Tensor gamma, Tensor beta, float eps) {
        int n = x.shape[0];
        int c = x.shape[1];
        int l = Shapes.prod(x.shape, 2, x.shape.length);
        int m = n * l;
        float[] mean = new float[c];
        float[] var = new float[c];
        channelSums(x.data, null, n, c, l, mean, null);
        for (int ch = 0; ch < c; ch++) {
            mean[ch] /= m;
        }
        centeredSquares(x.data, mean, n, c, l, var);
        float[] inv = new float[c];
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            var[ch] /= m;
            inv[ch] = (float) (1.0 / Math.sqrt(var[ch] + eps));
            scale[ch] = gamma == null ? 1f : gamma.data[ch];
            shift[ch] = beta == null ? 0f : beta.data[ch];
        }
        Tensor xhat = Tensor.zeros(x.shape);
        Tensor y = Tensor.zeros(x.shape);
        for (int i = 0; i < n; i++) {
            if (l == 1) { // [N, C]: one contiguous row per sample; the JIT vectorizes across channels
                int o = i * c;
                for (int ch = 0; ch < c; ch++) {
                    float h = (x.data[o + ch] - mean[ch]) * inv[ch];
                    xhat.data[o + ch] = h;
                    y.data[o + ch] = h * scale[ch] + shift[ch];
                }
            } else {
                for (int ch = 0; ch < c; ch++) {
                    int o = (i * c + ch) * l;
                    Pointwise.K.affine(x.data, o, inv[ch], -mean[ch] * inv[ch], xhat.data, o, l);
                    Pointwise.K.affine(xhat.data, o, scale[ch], shift[ch], y.data, o, l);
                }
            }
        }
        y.record(Op.BATCH_NORM, dy -> backward(dy, x, xhat, inv, gamma, beta, eps), x, gamma, beta);
        return new Result(y, mean, var);
    }

    /** Per-channel Σa (into sumA) and, when b is given, Σa·b (into sumAB). */
    private static void channelSums(float[] a, float[] b, int n, int c, int l, float[] sumA, float[] sumAB) {
        for (int i = 0; i < n; i++) {
            if (l == 1) {
                int o = i * c;
                for (int ch = 0; ch < c; ch++) {
                    sumA[ch] += a[o + ch];
                }
                if (b != null) {
                    for (int ch = 0; ch < c; ch++) {
                        sumAB[ch] += a[o + ch] * b[o + ch];
                    }
                }
            } else {
                for (int ch = 0; ch < c; ch++) {
                    int o = (i * c + ch) * l;
                    sumA[ch] += Pointwise.K.sum(a, o, l);
                    if (b != null) {
                        sumAB[ch] += Pointwise.K.dot(a, o, b, o, l);
                    }
                }
            }
        }
    }

    /** Per-channel Σ(x − μ)². */
    private static void centeredSquares(float[] x, float[] mean, int n, int c, int l, float[] out) {
        if (l == 1) {
            for (int i = 0; i < n; i++) {
                int o = i * c;
                for (int ch = 0; ch < c; ch++) {
                    float d = x[o + ch] - mean[ch];
                    out[ch] += d * d;
                }
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int o = (i * c + ch) * l;
                float mu = mean[ch];
                float s = 0f;
                for (int j = 0; j < l; j++) {
                    float d = x[o + j] - mu;
                    s += d * d;
                }
                out[ch] += s;
            }
        }
    }

    private static Tensor[] backward(Tensor dy, Tensor x, Tensor xhat, float[] inv, Tensor gamma, Tensor beta, float eps) {
        if (GradMode.isEnabled()) {
            return differentiableBackward(dy, x, gamma, beta, eps);
        }
        int n = x.shape[0];
        int c = x.shape[1];
        int l = Shapes.prod(x.shape, 2, x.shape.length);
        int m = n * l;
        float[] sumDy = new float[c];
        float[] sumDyXhat = new float[c];
        channelSums(dy.data, xhat.data, n, c, l, sumDy, sumDyXhat);
        Tensor dgamma = gamma != null && gamma.requiresGrad() ? Tensor.of(sumDyXhat.clone(), c) : null;
        Tensor dbeta = beta != null && beta.requiresGrad() ? Tensor.of(sumDy.clone(), c) : null;
        if (!x.requiresGrad()) {
            return new Tensor[] {null, dgamma, dbeta};
        }
        // dx = γ·inv·(dy − mean(dy) − x̂·mean(dy·x̂))
        float[] k = new float[c];
        float[] meanDy = new float[c];
        float[] meanDyXhat = new float[c];
        for (int ch = 0; ch < c; ch++) {
            k[ch] = (gamma == null ? 1f : gamma.data[ch]) * inv[ch];
            meanDy[ch] = sumDy[ch] / m;
            meanDyXhat[ch] = sumDyXhat[ch] / m;
        }
        Tensor dx = Tensor.zeros(x.shape);
        if (l == 1) {
            for (int i = 0; i < n; i++) {
                int o = i * c;
                for (int ch = 0; ch < c; ch++) {
                    dx.data[o + ch] = k[ch] * (dy.data[o + ch] - meanDy[ch] - xhat.data[o + ch] * meanDyXhat[ch]);
                }
            }
            return new Tensor[] {dx, dgamma, dbeta};
        }
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int o = (i * c + ch) * l;
                for (int j = 0; j < l; j++) {
                    dx.data[o + j] = k[ch] * (dy.data[o + j] - meanDy[ch] - xhat.data[o + j] * meanDyXhat[ch]);
                }
            }
        }
        return new Tensor[] {dx, dgamma, dbeta};
    }

    /** The same gradients, computed by differentiating the composite forward pass. */
    private static Tensor[] differentiableBackward(Tensor dy, Tensor x, Tensor gamma, Tensor beta, float eps) {
        int[] axes = reductionAxes(x.dim());
        int[] chShape = channelShape(x.shape);
        Tensor mu = x.mean(axes, true);
        Tensor xc = x.sub(mu);
        Tensor var = xc.mul(xc).mean(axes, true);
        Tensor y = xc.div(var.add(eps).sqrt());
        if (gamma != null) {
            y = y.mul(gamma.reshape(chShape));
        }
        if (beta != null) {
            y = y.add(beta.reshape(chShape));
        }
        java.util.ArrayList<Tensor> wrt = new java.util.ArrayList<>(List.of(x));
        if (gamma != null) {
            wrt.add(gamma);
        }
        if (beta != null) {
            wrt.add(beta);
        }
        List<Tensor> g = Autograd.grad(y, wrt, dy, true);
        return new Tensor[] {g.get(0), gamma != null ? g.get(1) : null, beta != null ? g.get(gamma != null ? 2 : 1) : null};
    }

    /** Axes 0, 2, 3, ...: everything but the channel axis. */
    static int[] reductionAxes(int rank) {
        int[] axes = new int[rank - 1];
        axes[0] = 0;
        for (int i = 2; i < rank; i++) {
            axes[i - 1] = i;
        }
        return axes;
    }

    /** [1, C, 1, ...]: a per-channel tensor shaped to broadcast against x. */
    static int[] channelShape(int[] xShape) {
        int[] s = new int[xShape.length];
        java.util.Arrays.fill(s, 1);
        s[1] = xShape[1];
        return s;
    }
}
