package dev.myelin.tensor;

import dev.myelin.kernel.Erf;
import dev.myelin.kernel.Parallel;

/**
 * The fused element-wise activations (leaky ReLU, ELU/SELU, GELU) and erf. Each runs one kernel
 * forward, and backward either one fused kernel (no graph of the backward pass wanted) or its
 * derivative written with tensor operations (with {@code createGraph}, so that it is
 * differentiable again), as {@link Pointwise#relu} does. Their composed references are in
 * {@link Composed}; erf is a primitive.
 */
final class ActivationOps {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double GELU_TANH_C = 0.044715;
    private static final int PARALLEL_MIN = 1 << 15;

    private ActivationOps() {
    }

    /** x &gt; 0 ? x : slope·x; the gradient at 0 is slope, as PyTorch's. */
    static Tensor leakyRelu(Tensor x, float slope) {
        Tensor out = Tensor.empty(x.shape);
        Pointwise.K.leakyRelu(x.data, 0, slope, out.data, 0, out.data.length);
        return out.record(Op.LEAKY_RELU, g -> {
            if (GradMode.isEnabled()) {
                return new Tensor[] {g.mul(Pointwise.map(x, v -> v > 0f ? 1f : slope))};
            }
            Tensor gx = Tensor.empty(x.shape);
            Pointwise.K.leakyReluBackward(x.data, 0, g.data, 0, slope, gx.data, 0, gx.data.length);
            return new Tensor[] {gx};
        }, x);
    }

    /**
     * PyTorch's elu with its three coefficients: x &gt; 0 ? scale·x : scale·alpha·(e^(inputScale·x) − 1).
     * ELU is (alpha, 1, 1), SELU (α, λ, 1). The gradient at 0 is the left one, as PyTorch's.
     */
    static Tensor elu(Tensor x, float alpha, float scale, float inputScale) {
        Tensor out = Tensor.empty(x.shape);
        Pointwise.K.elu(x.data, 0, alpha, scale, inputScale, out.data, 0, out.data.length);
        return out.record(Op.ELU, g -> {
            if (GradMode.isEnabled()) {
                Tensor positive = x.gt(0f);
                Tensor left = x.mul(inputScale).exp().mul(scale * alpha * inputScale);
                return new Tensor[] {g.mul(Tensor.where(positive, Tensor.scalar(scale), left))};
            }
            Tensor gx = Tensor.empty(x.shape);
            Pointwise.K.eluBackward(x.data, 0, g.data, 0, alpha, scale, inputScale, gx.data, 0, gx.data.length);
            return new Tensor[] {gx};
        }, x);
    }

    /** erf(x), computed in double and rounded (see {@link Erf}); d/dx = 2/√π·e^(−x²). */
    static Tensor erf(Tensor x) {
        Tensor out = Pointwise.map(x, v -> (float) Erf.erf(v));
        return out.record(Op.ERF, g -> new Tensor[] {g.mul(x.mul(x).neg().exp().mul((float) (2 / Math.sqrt(Math.PI))))}, x);
    }

    /**
     * GELU (Hendrycks &amp; Gimpel 2016), exact x·Φ(x) or PyTorch's tanh approximation
     * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). The forward pass keeps Φ(x) (or the tanh) for
     * the fused backward, which then needs one exp per element instead of another erf; both
     * loops are split across threads from {@value #PARALLEL_MIN} elements on. They stay scalar
     * (the Vector API has no erf): 45-65 ns per element forward and backward against ELU's
     * 5 (docs/activations.md, ActivationSpeed).
     */
    static Tensor gelu(Tensor x, boolean tanh) {
        Tensor out = Tensor.empty(x.shape);
        float[] kept = new float[x.data.length];
        float[] xd = x.data;
        forRange(xd.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                double v = xd[i];
                double k = tanh ? Math.tanh(SQRT_2_OVER_PI * (v + GELU_TANH_C * v * v * v)) : Erf.normalCdf(v);
                kept[i] = (float) k;
                out.data[i] = (float) (tanh ? 0.5 * v * (1 + k) : v * k);
            }
        });
        return out.record(Op.GELU, g -> {
            if (GradMode.isEnabled()) {
                return new Tensor[] {g.mul(tanh ? geluTanhSlope(x) : geluSlope(x))};
            }
            Tensor gx = Tensor.empty(x.shape);
            forRange(xd.length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    double v = xd[i];
                    double slope = tanh
                            ? 0.5 * (1 + kept[i]) + 0.5 * v * (1 - (double) kept[i] * kept[i]) * SQRT_2_OVER_PI
                                    * (1 + 3 * GELU_TANH_C * v * v)
                            : kept[i] + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
                    gx.data[i] = (float) (g.data[i] * slope);
                }
            });
            return new Tensor[] {gx};
        }, x);
    }

    private static void forRange(int n, Parallel.RangeBody body) {
        if (n < PARALLEL_MIN) {
            body.accept(0, n);
        } else {
            Parallel.forRange(n, PARALLEL_MIN / 2, body);
        }
    }

    /** Φ(x) + x·φ(x), the derivative of x·Φ(x), with tensor operations (differentiable). */
    private static Tensor geluSlope(Tensor x) {
        Tensor cdf = x.mul((float) (1 / Math.sqrt(2))).erf().add(1f).mul(0.5f);
        Tensor pdf = x.mul(x).mul(-0.5f).exp().mul((float) INV_SQRT_2PI);
        return cdf.add(x.mul(pdf));
    }

    /** 0.5·(1 + t) + 0.5·x·(1 − t²)·√(2/π)·(1 + 3c·x²), t = tanh(√(2/π)·(x + c·x³)), with tensor operations. */
    private static Tensor geluTanhSlope(Tensor x) {
        Tensor x2 = x.mul(x);
        Tensor t = x.add(x2.mul(x).mul((float) GELU_TANH_C)).mul((float) SQRT_2_OVER_PI).tanh();
        Tensor inner = x2.mul((float) (3 * GELU_TANH_C)).add(1f).mul((float) SQRT_2_OVER_PI);
        return t.add(1f).mul(0.5f).add(x.mul(t.mul(t).neg().add(1f)).mul(inner).mul(0.5f));
    }
}
