package dev.myelin.tensor;

import dev.myelin.kernel.Parallel;
import java.util.Arrays;

/**
 * Batch normalization in training mode as one fused op (Ioffe &amp; Szegedy 2015), over a
 * tensor laid out [N, C, L] (L = 1 for [N, C], L = H·W for images): per channel c, over the
 * M = N·L values,
 * <pre>
 * μ = mean(x),  σ² = mean((x − μ)²),  x̂ = (x − μ)/√(σ² + ε),  y = γ·x̂ + β
 * dx = (1/M)·(1/√(σ²+ε))·(M·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂)),  dx̂ = dy·γ,  dγ = Σ dy·x̂,  dβ = Σ dy
 * </pre>
 * (the backward pass in J. Sun, "Training DNNs: Tricks", University of Minnesota, 2020). The
 * batch mean and biased variance are returned so the layer can update its running averages.
 * When a graph of the backward pass is wanted (createGraph), the same formula runs as tensor
 * ops of whole-tensor granularity instead (see {@code differentiableBackward}), so it can be
 * differentiated again.
 *
 * <p>The same op normalizes per sample (layer, group and instance normalization) once the
 * tensor is viewed as [1, groups, values per group]. With L &gt; 1 the channels are
 * independent tasks on {@link Parallel}'s pool, each summing its values in a fixed order, so
 * the result does not depend on the thread count; the [N, C] layout runs row by row, where the
 * JIT vectorizes across channels.
 */
final class BatchNormOp {
    /** Below this many values per task, splitting across threads costs more than it saves. */
    private static final int GRAIN = 1 << 15;

    private BatchNormOp() {
    }

    static BatchNormResult forward(Tensor x, Tensor gamma, Tensor beta, float eps) {
        int n = x.shape[0];
        int c = x.shape[1];
        int l = Shapes.prod(x.shape, 2, x.shape.length);
        float[] mean = new float[c];
        float[] var = new float[c];
        float[] inv = new float[c];
        Tensor xhat = Tensor.empty(x.shape);
        StoragePool.stepLocal(xhat); // saved for the backward rule only
        Tensor y = Tensor.empty(x.shape); // written whole by the forward kernels, as xhat
        if (l == 1) {
            Rows.forward(x.data, xhat.data, y.data, n, c, eps, mean, var, inv, gamma, beta);
        } else {
            forChannels(n * l, c, (from, to) -> {
                for (int ch = from; ch < to; ch++) {
                    spatialForward(x.data, xhat.data, y.data, n, c, l, ch, eps, mean, var, inv,
                            gamma == null ? 1f : gamma.data[ch], beta == null ? 0f : beta.data[ch]);
                }
            });
        }
        y.record(Op.BATCH_NORM, dy -> backward(dy, x, xhat, inv, gamma, beta, eps), x, gamma, beta);
        return new BatchNormResult(y, mean, var);
    }

    /**
     * See {@link Tensor#channelScaleShift}: per plane of [N, C, L] one affine kernel, planes split
     * across threads; for [N, C] (L = 1) per row one product and one sum with the C-vectors s and t.
     */
    static Tensor scaleShift(Tensor x, Tensor scale, Tensor shift) {
        if (GradMode.isEnabled()) {
            throw new IllegalStateException("channelScaleShift is not differentiable: call it under GradMode.noGrad(), "
                    + "or use x.mul(scale).add(shift)");
        }
        if (x.dim() < 2 || scale.numel() != x.shape[1] || shift.numel() != x.shape[1]) {
            throw new IllegalArgumentException("channelScaleShift: expected x [N, C, ...] with C-element scale and shift, "
                    + "got x " + Shapes.str(x.shape) + ", scale " + Shapes.str(scale.shape) + ", shift "
                    + Shapes.str(shift.shape));
        }
        int c = x.shape[1];
        int l = Shapes.prod(x.shape, 2, x.shape.length);
        int planes = x.shape[0] * c;
        float[] s = scale.data;
        float[] t = shift.data;
        Tensor y = Tensor.empty(x.shape);
        if (l == 1) { // [N, C]: a row is one vector product and one vector sum, not C one-element kernels
            int n = x.shape[0];
            Parallel.forRange(n, Math.max(1, GRAIN / c), (from, to) -> {
                for (int r = from; r < to; r++) {
                    Pointwise.K.mul(x.data, r * c, s, 0, y.data, r * c, c);
                    Pointwise.K.add(y.data, r * c, t, 0, y.data, r * c, c);
                }
            });
        } else {
            Parallel.forRange(planes, Math.max(1, GRAIN / Math.max(1, l)), (from, to) -> {
                for (int p = from; p < to; p++) {
                    Pointwise.K.affine(x.data, p * l, s[p % c], t[p % c], y.data, p * l, l);
                }
            });
        }
        StoragePool.noGradOutput(y); // not recorded: no graph on this path
        return y;
    }

    /** Runs channel ranges on the pool when each task gets at least {@link #GRAIN} values. */
    private static void forChannels(int perChannel, int c, Parallel.RangeBody body) {
        Parallel.forRange(c, Math.max(1, GRAIN / Math.max(1, perChannel)), body);
    }

    /** One channel of [N, C, L]: statistics, x̂ and y, with vector kernels along L. */
    private static void spatialForward(float[] x, float[] xhat, float[] y, int n, int c, int l, int ch, float eps,
                                       float[] mean, float[] var, float[] inv, float g, float b) {
        int m = n * l;
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += Pointwise.K.sum(x, (i * c + ch) * l, l);
        }
        float mu = s / m;
        float sq = 0f;
        for (int i = 0; i < n; i++) {
            int o = (i * c + ch) * l;
            Pointwise.K.affine(x, o, 1f, -mu, xhat, o, l); // x − μ, kept for the variance and x̂
            sq += Pointwise.K.dot(xhat, o, xhat, o, l);
        }
        mean[ch] = mu;
        var[ch] = sq / m;
        inv[ch] = (float) (1.0 / Math.sqrt(var[ch] + eps));
        for (int i = 0; i < n; i++) {
            int o = (i * c + ch) * l;
            Pointwise.K.normalizeAffine(xhat, o, inv[ch], g, b, y, o, l); // x̂ = (x − μ)·inv, y = γ·x̂ + β
        }
    }

    private static Tensor[] backward(Tensor dy, Tensor x, Tensor xhat, float[] inv, Tensor gamma, Tensor beta, float eps) {
        if (GradMode.isEnabled()) {
            return differentiableBackward(dy, x, gamma, beta, eps);
        }
        int n = x.shape[0];
        int c = x.shape[1];
        int l = Shapes.prod(x.shape, 2, x.shape.length);
        float[] sumDy = new float[c];
        float[] sumDyXhat = new float[c];
        float[] k = new float[c];
        for (int ch = 0; ch < c; ch++) {
            k[ch] = (gamma == null ? 1f : gamma.data[ch]) * inv[ch];
        }
        Tensor dx = x.requiresGrad() ? Tensor.empty(x.shape) : null; // written whole
        float[] dxData = dx == null ? null : dx.data;
        if (l == 1) {
            Rows.backward(dy.data, xhat.data, dxData, n, c, k, sumDy, sumDyXhat);
        } else {
            forChannels(n * l, c, (from, to) -> {
                for (int ch = from; ch < to; ch++) {
                    spatialBackward(dy.data, xhat.data, dxData, n, c, l, ch, k[ch], sumDy, sumDyXhat);
                }
            });
        }
        Tensor dgamma = gamma != null && gamma.requiresGrad() ? Tensor.of(sumDyXhat, c) : null;
        Tensor dbeta = beta != null && beta.requiresGrad() ? Tensor.of(sumDy, c) : null;
        return new Tensor[] {dx, dgamma, dbeta};
    }

    /** One channel of [N, C, L]: Σdy, Σdy·x̂, and dx = k·(dy − mean(dy) − x̂·mean(dy·x̂)), k = γ/√(σ²+ε). */
    private static void spatialBackward(float[] dy, float[] xhat, float[] dx, int n, int c, int l, int ch, float k,
                                        float[] sumDy, float[] sumDyXhat) {
        float s = 0f;
        float sx = 0f;
        float[] sums = new float[2];
        for (int i = 0; i < n; i++) {
            int o = (i * c + ch) * l;
            Pointwise.K.sumAndDot(dy, o, xhat, o, l, sums);
            s += sums[0];
            sx += sums[1];
        }
        sumDy[ch] = s;
        sumDyXhat[ch] = sx;
        if (dx == null) {
            return;
        }
        int m = n * l;
        float shift = -k * s / m;
        float alongXhat = -k * sx / m;
        for (int i = 0; i < n; i++) {
            int o = (i * c + ch) * l;
            Pointwise.K.normGrad(dy, o, k, shift, alongXhat, xhat, o, dx, o, l);
        }
    }

    /** The [N, C] layout: one contiguous row per sample, loops across channels. */
    private static final class Rows {
        private Rows() {
        }

        static void forward(float[] x, float[] xhat, float[] y, int n, int c, float eps, float[] mean, float[] var,
                            float[] inv, Tensor gamma, Tensor beta) {
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < c; ch++) {
                    mean[ch] += x[i * c + ch];
                }
            }
            for (int ch = 0; ch < c; ch++) {
                mean[ch] /= n;
            }
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < c; ch++) {
                    float d = x[i * c + ch] - mean[ch];
                    var[ch] += d * d;
                }
            }
            float[] scale = new float[c];
            float[] shift = new float[c];
            for (int ch = 0; ch < c; ch++) {
                var[ch] /= n;
                inv[ch] = (float) (1.0 / Math.sqrt(var[ch] + eps));
                scale[ch] = gamma == null ? 1f : gamma.data[ch];
                shift[ch] = beta == null ? 0f : beta.data[ch];
            }
            for (int i = 0; i < n; i++) {
                int o = i * c;
                for (int ch = 0; ch < c; ch++) {
                    float h = (x[o + ch] - mean[ch]) * inv[ch];
                    xhat[o + ch] = h;
                    y[o + ch] = h * scale[ch] + shift[ch];
                }
            }
        }

        static void backward(float[] dy, float[] xhat, float[] dx, int n, int c, float[] k, float[] sumDy,
                             float[] sumDyXhat) {
            for (int i = 0; i < n; i++) {
                int o = i * c;
                for (int ch = 0; ch < c; ch++) {
                    sumDy[ch] += dy[o + ch];
                    sumDyXhat[ch] += dy[o + ch] * xhat[o + ch];
                }
            }
            if (dx == null) {
                return;
            }
            float[] meanDy = new float[c];
            float[] meanDyXhat = new float[c];
            for (int ch = 0; ch < c; ch++) {
                meanDy[ch] = sumDy[ch] / n;
                meanDyXhat[ch] = sumDyXhat[ch] / n;
            }
            for (int i = 0; i < n; i++) {
                int o = i * c;
                for (int ch = 0; ch < c; ch++) {
                    dx[o + ch] = k[ch] * (dy[o + ch] - meanDy[ch] - xhat[o + ch] * meanDyXhat[ch]);
                }
            }
        }
    }

    /**
     * The same gradients as one closed-form rule of whole-tensor ops, recorded when a graph of
     * the backward pass is wanted ({@code createGraph}), so it can be differentiated again
     * (double backpropagation: Jacobian and gradient penalties, Hessian-vector products):
     * <pre>
     * 1/σ = (mean((x − μ)²) + ε)^(−1/2),  x̂ = (x − μ)·(1/σ),  k = γ/σ
     * dx = k·(dy − mean(dy) − x̂·mean(dy·x̂)),   dγ = Σ dy·x̂,   dβ = Σ dy
     * </pre>
     * x̂ and 1/σ are recomputed from x with primitive ops (the forward pass kept them as plain
     * numbers), so the rule is differentiable in dy, x and γ: about a dozen ops of [N, C, ...]
     * and a few per channel, whatever the network below x. The rule does not call back into
     * {@link Autograd}: a nested backward pass (it used to differentiate the composed reference
     * so) walks the whole graph beneath x, at every batch-norm layer, which costs 2^depth passes
     * through a stack of them.
     */
    private static Tensor[] differentiableBackward(Tensor dy, Tensor x, Tensor gamma, Tensor beta, float eps) {
        int c = x.shape[1];
        int[] axes = new int[x.dim() - 1];
        for (int i = 2; i < x.dim(); i++) {
            axes[i - 1] = i;
        }
        int[] ch = new int[x.dim()];
        Arrays.fill(ch, 1);
        ch[1] = c;
        float perChannel = 1f / (x.numel() / c);
        Tensor xc = x.sub(x.mean(axes, true));
        Tensor inv = xc.mul(xc).mean(axes, true).add(eps).pow(-0.5f);
        Tensor xhat = xc.mul(inv);
        Tensor sumDy = dy.sum(axes, true);
        Tensor sumDyXhat = dy.mul(xhat).sum(axes, true);
        Tensor dx = null;
        if (x.requiresGrad()) {
            Tensor k = gamma == null ? inv : inv.mul(gamma.reshape(ch));
            dx = dy.sub(sumDy.mul(perChannel)).sub(xhat.mul(sumDyXhat.mul(perChannel))).mul(k);
        }
        Tensor dgamma = gamma != null && gamma.requiresGrad() ? sumDyXhat.reshape(c) : null;
        Tensor dbeta = beta != null && beta.requiresGrad() ? sumDy.reshape(c) : null;
        return new Tensor[] {dx, dgamma, dbeta};
    }
}
