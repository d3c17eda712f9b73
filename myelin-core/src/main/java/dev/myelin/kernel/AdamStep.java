package dev.myelin.kernel;

/**
 * The per-step scalars of one Adam update ({@link Kernels#adam}), computed once per parameter
 * tensor from the hyperparameters and the step count t:
 * <pre>
 * stepSize = η / (1 − β₁ᵗ)          bc2Sqrt = √(1 − β₂ᵗ)
 * oneMinusBeta1 = (float) (1 − β₁)   oneMinusBeta2 = (float) (1 − β₂)   (rounded from double, as PyTorch's alpha)
 * </pre>
 *
 * @param beta1 β₁, the decay of the first moment
 * @param beta2 β₂, the decay of the second moment
 * @param stepSize the bias-corrected learning rate η / (1 − β₁ᵗ)
 * @param bc2Sqrt √(1 − β₂ᵗ), the second moment's bias correction
 * @param eps ε, added to the denominator
 * @param weightDecay λ of coupled L2 decay (g ← g + λ·p); 0 for none (AdamW decays separately)
 */
public record AdamStep(float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float stepSize,
                       float bc2Sqrt, float eps, float weightDecay) {

    /** The scalars for step {@code t} (1-based) with learning rate {@code lr}. */
    public static AdamStep of(double lr, double beta1, double beta2, double eps, double weightDecay, long t) {
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        return new AdamStep((float) beta1, (float) (1 - beta1), (float) beta2, (float) (1 - beta2),
                (float) (lr / bc1), (float) Math.sqrt(bc2), (float) eps, (float) weightDecay);
    }
}
