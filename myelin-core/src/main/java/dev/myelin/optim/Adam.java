package dev.myelin.optim;

import dev.myelin.tensor.Tensor;
import java.util.List;

/**
 * Adam (Kingma &amp; Ba 2015; deep-feedforward-networks.md, "Adam") with bias correction,
 * optional AMSGrad (Reddi et al. 2018) and PyTorch's defaults (lr 1e-3, betas (0.9, 0.999),
 * eps 1e-8, weight decay 0, coupled as L2, amsgrad false):
 * <pre>
 * g ← g + λ·p
 * m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
 * v̂ ← max(v̂, v)   (AMSGrad; otherwise v̂ = v)
 * p ← p − (η / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 * </pre>
 * The lecture writes the same update with ŝ = s/(1 − β₁ᵗ) and r̂ = r/(1 − β₂ᵗ); PyTorch (and
 * Myelin) fold the corrections into the step size and ε sits outside √(1 − β₂ᵗ), as in
 * Algorithm 1's efficient form. For decoupled weight decay use {@link AdamW}.
 * State-dict keys per parameter: step, exp_avg, exp_avg_sq, max_exp_avg_sq (AMSGrad).
 */
public final class Adam extends AdamFamily {
    /** Hyperparameters of Adam and AdamW. */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad)
            implements OptimizerOptions {
        public Options {
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("Adam: expected betas in [0, 1), got (" + beta1 + ", " + beta2 + ")");
            }
            if (!(eps >= 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("Adam: expected eps and weight_decay >= 0, got " + eps + " and "
                        + weightDecay);
            }
        }

        /** Without AMSGrad. */
        public Options(double lr, double beta1, double beta2, double eps, double weightDecay) {
            this(lr, beta1, beta2, eps, weightDecay, false);
        }

        /** PyTorch's Adam defaults with this learning rate. */
        public static Options of(double lr) {
            return new Options(lr, 0.9, 0.999, 1e-8, 0);
        }
    }

    public Adam(List<Tensor> params, Options options) {
        this(ParamGroup.single(params, options));
    }

    public Adam(List<ParamGroup<Options>> groups) {
        super(groups);
    }

    @Override
    boolean decoupled() {
        return false;
    }
}
