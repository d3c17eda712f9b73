package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014; training-dnns-tricks.md): in training each element
 * is kept with probability 1 − p and scaled by 1/(1 − p), so the expected output equals the
 * input and evaluation needs no rescaling; in evaluation it is the identity.
 * <pre>y = x ⊙ m / (1 − p),   m_i ~ Bernoulli(1 − p)</pre>
 * Shape: any. Default p = 0.5 as PyTorch.
 */
public final class Dropout extends Module {
    private final float p;
    private final Rng rng;

    public Dropout(double p, Rng rng) {
        this.p = checkP("Dropout", p);
        this.rng = rng;
    }

    /** Validates a drop probability for {@code layer}: p in [0, 1), as PyTorch. */
    static float checkP(String layer, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(layer + ": expected a drop probability p in [0, 1), got " + p);
        }
        return (float) p;
    }

    public float p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0f) {
            return x;
        }
        return applyMask(x, Tensor.bernoulli(rng, 1.0 - p, x.shape()), p);
    }

    /**
     * The functional form with a given 0/1 mask: {@code x ⊙ keep / (1 − p)}. {@code keep} has
     * x's shape or one that broadcasts to it ({@link Dropout2d} keeps whole channels this way).
     * The gradient reaches x only where {@code keep} is 1.
     */
    public static Tensor applyMask(Tensor x, Tensor keep, double p) {
        return x.mul(keep.mul(1f / (1f - (float) p)));
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
