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
        float[] inv = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Pointwise.K.sum(x.data, (i * c + ch) * l, l);
            }
            float mu = (float) (s / m);
            double ss = 0;
            for (int i = 0; i < n; i++) {
                int o = (i * c + ch) * l;
                for (int j = 0; j < l; j++) {
                    float d = x.data[o + j] - mu;
                    ss += d * d;
                }
            }
            mean[ch] = mu;
            var[ch] = (float) (ss / m);
            inv[ch] = (float) (1.0 / Math.sqrt(var[ch] + eps));
        }
        Tensor xhat = Tensor.zeros(x.shape);
        Tensor y = Tensor.zeros(x.shape);
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int o = (i * c + ch) * l;
                float g = gamma == null ? 1f : gamma.data[ch];
                float b = beta == null ? 0f : beta.data[ch];
                Pointwise.K.affine(x.data, o, inv[ch], -mean[ch] * inv[ch], xhat.data, o, l);
                Pointwise.K.affine(xhat.data, o, g, b, y.data, o, l);
            }
        }
        y.record(Op.BATCH_NORM, dy -> backward(dy, x, xhat, inv, gamma, beta, eps), x, gamma, beta);
        return new Result(y, mean, var);
    }

    private static Tensor[] backward(Tensor dy, Tensor x, Tensor xhat, float[] inv, Tensor gamma, Tensor beta, float eps) {
        if (GradMode.isEnabled()) {
            return differentiableBackward(dy, x, gamma, beta, eps);
        }
        int n = x.shape[0];
        int c = x.shape[1];
        int l = Shapes.prod(x.shape, 2, x.shape.length);
        int m = n * l;
        Tensor dx = x.requiresGrad() ? Tensor.zeros(x.shape) : null;
        Tensor dgamma = gamma != null && gamma.requiresGrad() ? Tensor.zeros(c) : null;
        Tensor dbeta = beta != null && beta.requiresGrad() ? Tensor.zeros(c) : null;
        for (int ch = 0; ch < c; ch++) {
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                int o = (i * c + ch) * l;
                sumDy += Pointwise.K.sum(dy.data, o, l);
                sumDyXhat += Pointwise.K.dot(dy.data, o, xhat.data, o, l);
            }
            float g = gamma == null ? 1f : gamma.data[ch];
            if (dgamma != null) {
                dgamma.data[ch] = (float) sumDyXhat;
            }
            if (dbeta != null) {
                dbeta.data[ch] = (float) sumDy;
            }
            if (dx != null) {
                // dx = γ·inv·(dy − mean(dy) − x̂·mean(dy·x̂))
                float k = g * inv[ch];
                float meanDy = (float) (sumDy / m);
                float meanDyXhat = (float) (sumDyXhat / m);
                for (int i = 0; i < n; i++) {
                    int o = (i * c + ch) * l;
                    for (int j = 0; j < l; j++) {
                        dx.data[o + j] = k * (dy.data[o + j] - meanDy - xhat.data[o + j] * meanDyXhat);
                    }
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
