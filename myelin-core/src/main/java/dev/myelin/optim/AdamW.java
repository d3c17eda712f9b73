package dev.myelin.optim;

import dev.myelin.tensor.Tensor;
import java.util.List;

/**
 * AdamW: Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019, "Decoupled Weight Decay
 * Regularization"; Sun, "Training DNNs: Tricks", L2 vs weight decay). The parameter shrinks by
 * η·λ before the Adam step, and the decay never passes through the adaptive denominator, so
 * every weight decays at the same rate whatever its gradient history:
 * <pre>
 * p ← p · (1 − η·λ)
 * m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²,   v̂ ← max(v̂, v) (AMSGrad)
 * p ← p − (η / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 * </pre>
 * As torch.optim.AdamW, the decay is multiplied by the current learning rate η (the paper
 * multiplies by the schedule factor only). Defaults are PyTorch's: lr 1e-3, betas (0.9, 0.999),
 * eps 1e-8, <b>weight_decay 0.01</b>, amsgrad false. It shares {@link Adam.Options}; use
 * {@link #options(double)} for AdamW's default decay. State-dict keys as {@link Adam}.
 */
public final class AdamW extends AdamFamily {
    public AdamW(List<Tensor> params, Adam.Options options) {
        this(ParamGroup.single(params, options));
    }

    public AdamW(List<ParamGroup<Adam.Options>> groups) {
        super(groups);
    }

    /** PyTorch's AdamW defaults: Adam's, with weight_decay 0.01. */
    public static Adam.Options defaults() {
        return Adam.Options.defaults().withWeightDecay(0.01);
    }

    /** PyTorch's AdamW defaults with this learning rate. */
    public static Adam.Options options(double lr) {
        return Adam.Options.of(lr).withWeightDecay(defaults().weightDecay());
    }

    @Override
    boolean decoupled() {
        return true;
    }
}
