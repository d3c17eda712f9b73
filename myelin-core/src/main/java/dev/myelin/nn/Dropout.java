package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014; Sun, "Training DNNs: Tricks"): in training each element
 * is kept with probability 1 − p and scaled by 1/(1 − p), so the expected output equals the
 * input and evaluation needs no rescaling; in evaluation it is the identity.
 * <pre>y = x ⊙ m / (1 − p),   m_i ~ Bernoulli(1 − p)</pre>
 * Shape: any. Default p = 0.5 as PyTorch.
 */
public final class Dropout extends DropoutBase {
    /** The drop probability of Dropout, Dropout2d and AlphaDropout; PyTorch's default p = 0.5. */
    public record Options(double p) {
        public Options {
            checkP("Dropout", p);
        }

        public static Options defaults() {
            return new Options(0.5);
        }
    }

    public Dropout(double p, Rng rng) {
        super("Dropout", p, rng);
    }

    @Override
    Tensor drop(Tensor x) {
        return x.mulBernoulli(rng(), 1.0 - p(), 1f / (1f - (float) p())); // = applyMask
    }

    /**
     * The functional form with a given 0/1 mask: {@code x ⊙ keep / (1 − p)}. {@code keep} has
     * x's shape or one that broadcasts to it ({@link Dropout2d} keeps whole channels this way).
     * The gradient reaches x only where {@code keep} is 1.
     */
    public static Tensor applyMask(Tensor x, Tensor keep, double p) {
        return x.mul(keep.mul(1f / (1f - (float) p)));
    }
}
