package dev.myelin.train.regularize;

import dev.myelin.nn.Module;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.Regularizer;

/**
 * Norm penalties on the parameters, added to the loss (Sun, "Training DNNs: Tricks", "Regularization
 * to avoid overfitting"; Goodfellow et al. 2016, Deep Learning §7.1):
 * <pre>
 * Ω(W) = λ₁ Σ_k ‖W_k‖₁ + (λ₂/2) Σ_k ‖W_k‖²_F       ∂Ω/∂w = λ₁·sign(w) + λ₂·w
 * </pre>
 * L2 (ridge, "weight decay") shrinks every weight in proportion to its size; L1 (lasso)
 * pulls each weight towards 0 by a constant amount, so many end exactly or nearly at zero
 * (sparse weights, feature selection). Both together are the elastic net (Zou &amp; Hastie 2005).
 * sign(0) = 0, as PyTorch's {@code abs} gradient.
 *
 * <p>The ½ in the L2 term makes λ₂ the same number as the optimizers' coupled
 * {@code weight_decay} (SGD and Adam add λ₂·w to the gradient): {@code l2 = 1e-4} on all
 * parameters and {@code Sgd(weight_decay = 1e-4)} take identical steps. The lecture and Keras
 * write λ‖W‖² without the ½ (twice the gradient for the same λ). Unlike the optimizers'
 * option, the penalty is part of the reported loss and honours {@link ParamSelection}.
 * Decoupled decay (AdamW, Loshchilov &amp; Hutter 2019) is an optimizer option, not a penalty.
 *
 * @param l1      λ₁ ≥ 0
 * @param l2      λ₂ ≥ 0
 * @param applyTo which parameters are penalized (default: weights, not biases or norm parameters)
 */
public record WeightPenalty(double l1, double l2, ParamSelection applyTo) implements Regularizer {
    public WeightPenalty {
        if (!(l1 >= 0 && Double.isFinite(l1)) || !(l2 >= 0 && Double.isFinite(l2))) {
            throw new IllegalArgumentException("WeightPenalty: expected l1 >= 0 and l2 >= 0, got l1 = " + l1
                    + ", l2 = " + l2);
        }
        if (applyTo == null) {
            throw new IllegalArgumentException("WeightPenalty: applyTo is null; use ParamSelection.WEIGHTS");
        }
    }

    /** λ₁‖W‖₁ on weights only. */
    public static WeightPenalty l1(double lambda) {
        return new WeightPenalty(lambda, 0, ParamSelection.WEIGHTS);
    }

    /** (λ₂/2)‖W‖² on weights only. */
    public static WeightPenalty l2(double lambda) {
        return new WeightPenalty(0, lambda, ParamSelection.WEIGHTS);
    }

    /** Ω of the model's selected parameters, a scalar tensor differentiable w.r.t. them. */
    public Tensor of(Module model) {
        Tensor total = Tensor.scalar(0f);
        for (Tensor w : applyTo.select(model).values()) {
            if (l1 > 0) {
                total = total.add(w.abs().sum().mul((float) l1));
            }
            if (l2 > 0) {
                total = total.add(w.mul(w).sum().mul((float) (l2 / 2)));
            }
        }
        return total;
    }

    @Override
    public Tensor penalty(Module model, Tensor x, Tensor out) {
        return of(model);
    }
}
