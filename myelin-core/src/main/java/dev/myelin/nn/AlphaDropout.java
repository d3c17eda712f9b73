package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;

/**
 * Alpha dropout (Klambauer et al. 2017, "Self-normalizing neural networks"): dropout for SELU
 * networks that keeps zero mean and unit variance. A dropped unit is set to SELU's negative
 * saturation α' = −λα instead of 0, and an affine map a·(·) + b restores the moments:
 * <pre>
 * y = a·(x·m + α'·(1 − m)) + b,   m ~ Bernoulli(1 − p),   α' = −λα ≈ −1.7581
 * a = ((1 − p)(1 + p·α'²))^(−1/2),   b = −a·α'·p
 * </pre>
 * so an input with mean 0 and variance 1 keeps them. The gradient reaches x only through kept
 * units (scaled by a). Shape: any. The identity in evaluation mode. Default p = 0.5 as
 * PyTorch's {@code AlphaDropout}, whose formula this is.
 */
public final class AlphaDropout extends DropoutBase {
    /** SELU's λ·α (Klambauer et al. 2017), the value SELU tends to for x → −∞, negated. */
    static final double SELU_NEGATIVE_SATURATION = 1.0507009873554804934193349852946 * 1.6732632423543772848170429916717;

    public AlphaDropout(double p, Rng rng) {
        super("AlphaDropout", p, rng);
    }

    @Override
    Tensor drop(Tensor x) {
        return applyMask(x, Tensor.bernoulli(rng(), 1.0 - p(), x.shape()), p());
    }

    /**
     * The functional form with a given 0/1 mask {@code keep} of x's shape, written as torch
     * computes it: {@code x·(a·m) + (a·α·(m − 1) + a·α·p)} with α = λα_SELU.
     */
    public static Tensor applyMask(Tensor x, Tensor keep, double p) {
        double alpha = SELU_NEGATIVE_SATURATION;
        double a = 1.0 / Math.sqrt((alpha * alpha * p + 1) * (1 - p));
        Tensor shift = keep.sub(1f).mul((float) (alpha * a)).add((float) (alpha * a * p));
        return x.mul(keep.mul((float) a)).add(shift);
    }
}
