package dev.myelin.nn;

import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * Losses from maximum likelihood ("Deep Feedforward Networks" (Strojové učení II)), mean-reduced as PyTorch's
 * defaults. Each is {@code apply(prediction, target)} returning a scalar tensor.
 */
@FunctionalInterface
public interface Loss {
    Tensor apply(Tensor prediction, Tensor target);

    /** The options of {@link #crossEntropy(double)}: label smoothing ε in [0, 1], default 0 (PyTorch's). */
    record CrossEntropyOptions(double labelSmoothing) {
        public CrossEntropyOptions {
            dev.myelin.options.Check.between("label_smoothing", labelSmoothing, 0, 1);
        }

        public static CrossEntropyOptions defaults() {
            return new CrossEntropyOptions(0);
        }
    }

    /**
     * Softmax + negative log-likelihood from logits [N, C] and class indices [N]:
     * <pre>L = −(1/N) Σ_i log softmax(z_i)[y_i]</pre>
     * (PyTorch's {@code CrossEntropyLoss}).
     */
    static Loss crossEntropy() {
        return (z, y) -> checkLogits(z).logSoftmax(-1).gather(y).mean().neg();
    }

    /**
     * Cross-entropy against smoothed labels, noise on the outputs (Szegedy et al. 2016,
     * "Rethinking the Inception architecture"; "Deep Feedforward Networks" (Strojové učení II), "Noise in
     * Outputs"): the target puts 1 − ε on the true class and spreads ε evenly over all C
     * classes (the true one included), as PyTorch's {@code CrossEntropyLoss(label_smoothing=ε)}:
     * <pre>
     * q_c = (1 − ε)·[c = y] + ε/C
     * L = −(1/N) Σ_i Σ_c q_c log softmax(z_i)_c
     *   = (1 − ε)·NLL + ε·(−(1/(N·C)) Σ_i Σ_c log softmax(z_i)_c)
     * </pre>
     * ε = 0 is {@link #crossEntropy()}.
     */
    static Loss crossEntropy(double labelSmoothing) {
        new CrossEntropyOptions(labelSmoothing); // its check: label_smoothing in [0, 1]
        if (labelSmoothing == 0) {
            return crossEntropy();
        }
        float eps = (float) labelSmoothing;
        return (z, y) -> {
            Tensor logp = checkLogits(z).logSoftmax(-1);
            Tensor nll = logp.gather(y).mean().neg();
            Tensor uniform = logp.mean().neg();
            return nll.mul(1f - eps).add(uniform.mul(eps));
        };
    }

    private static Tensor checkLogits(Tensor z) {
        if (z.dim() != 2) {
            throw new IllegalArgumentException("cross_entropy: expected logits [N, classes], got " + Arrays.toString(z.shape()));
        }
        return z;
    }

    /** Mean squared error, the Gaussian likelihood: L = mean((ŷ − y)²). */
    static Loss mse() {
        return (p, y) -> {
            Tensor d = p.sub(sameShape("mse", p, y));
            return d.mul(d).mean();
        };
    }

    /** Mean absolute error, the Laplace likelihood: L = mean(|ŷ − y|). */
    static Loss l1() {
        return (p, y) -> p.sub(sameShape("l1", p, y)).abs().mean();
    }

    /**
     * Sigmoid + binary cross-entropy from logits, the Bernoulli likelihood:
     * <pre>L = mean(softplus(z) − z·y),   dL/dz = (σ(z) − y)/n</pre>
     * (PyTorch's {@code BCEWithLogitsLoss}). softplus is evaluated stably (log1p(e^z) in double,
     * the identity above z = 20), so this equals PyTorch's max(z, 0) − z·y + log(1 + e^−|z|)
     * without that form's kinks: written with relu and abs, the gradient at z = 0 would be the
     * sum of their subgradients, −y instead of ½ − y.
     */
    static Loss binaryCrossEntropyWithLogits() {
        return (z, y) -> {
            Tensor t = sameShape("bce_with_logits", z, y);
            return z.softplus(1f, 20f).sub(z.mul(t)).mean();
        };
    }

    /** The options of {@link #gaussianNll}: PyTorch's {@code GaussianNLLLoss(full=False, eps=1e-6)} by default. */
    record GaussianNllOptions(double eps, boolean full) {
        public GaussianNllOptions {
            if (!(eps > 0) || !Double.isFinite(eps)) {
                throw new IllegalArgumentException("gaussian_nll: eps must be a positive number, got " + eps);
            }
        }

        public static GaussianNllOptions defaults() {
            return new GaussianNllOptions(1e-6, false);
        }
    }

    /**
     * The Gaussian likelihood with a learned variance (heteroscedastic regression; Nix &amp;
     * Weigend 1994, "Deep Feedforward Networks", "Cost Function"): the network predicts, for each
     * of k targets, a mean &mu; and a raw value s whose softplus is the variance, the prediction
     * [N, 2k] holding the k means first and the k raw values after them:
     * <pre>v = max(softplus(s), eps),   L = mean(&frac12;(log v + (&mu; &minus; y)&sup2; / v)) [+ &frac12; log 2&pi; with full]</pre>
     * With v fixed this is {@link #mse()} up to scale and a constant. The loss on (&mu;, v) is
     * PyTorch's {@code GaussianNLLLoss(full, eps)(mu, y, v)}, including that the clamp to eps
     * passes the gradient through unchanged (PyTorch clamps under {@code no_grad}); the softplus
     * that keeps v positive is Myelin's, as {@code bce_with_logits} takes logits: a model that
     * ends in a Linear of 2k outputs is a valid heteroscedastic model.
     */
    static Loss gaussianNll(GaussianNllOptions o) {
        return (p, y) -> {
            if (p.dim() != 2 || p.size(1) % 2 != 0) {
                throw new IllegalArgumentException("gaussian_nll: the prediction must be [N, 2k] (k means, then k raw"
                        + " variances), got " + Arrays.toString(p.shape()));
            }
            int k = p.size(1) / 2;
            Tensor mu = p.slice(1, 0, k);
            Tensor v = p.slice(1, k, 2 * k).softplus(1f, 20f);
            Tensor vd = v.detach();
            Tensor clamped = v.add(vd.maximum(Tensor.scalar((float) o.eps())).sub(vd)); // value clamped, gradient 1
            Tensor d = mu.sub(sameShape("gaussian_nll", mu, y));
            Tensor l = clamped.log().add(d.mul(d).div(clamped)).mean().mul(0.5f);
            return o.full() ? l.add((float) (0.5 * Math.log(2 * Math.PI))) : l;
        };
    }

    /** The variance the {@link #gaussianNll} loss reads from a prediction [N, 2k]: softplus of its last k columns. */
    static Tensor gaussianVariance(Tensor prediction) {
        int k = prediction.size(1) / 2;
        return prediction.slice(1, k, 2 * k).softplus(1f, 20f);
    }

    /** Reshapes a target [N] to the prediction's [N, 1] when that is the only difference. */
    private static Tensor sameShape(String loss, Tensor p, Tensor y) {
        if (Arrays.equals(p.shape(), y.shape())) {
            return y;
        }
        if (p.numel() == y.numel()) {
            return y.reshape(p.shape());
        }
        throw new IllegalArgumentException(loss + ": prediction shape " + Arrays.toString(p.shape())
                + " and target shape " + Arrays.toString(y.shape()) + " differ");
    }
}
