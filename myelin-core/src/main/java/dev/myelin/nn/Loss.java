package dev.myelin.nn;

import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * Losses from maximum likelihood (deep-feedforward-networks.md), mean-reduced as PyTorch's
 * defaults. Each is {@code apply(prediction, target)} returning a scalar tensor.
 */
@FunctionalInterface
public interface Loss {
    Tensor apply(Tensor prediction, Tensor target);

    /**
     * Softmax + negative log-likelihood from logits [N, C] and class indices [N]:
     * <pre>L = −(1/N) Σ_i log softmax(z_i)[y_i]</pre>
     * (PyTorch's {@code CrossEntropyLoss}).
     */
    static Loss crossEntropy() {
        return (z, y) -> {
            if (z.dim() != 2) {
                throw new IllegalArgumentException("cross_entropy: expected logits [N, classes], got " + Arrays.toString(z.shape()));
            }
            return z.logSoftmax(-1).gather(y).mean().neg();
        };
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
