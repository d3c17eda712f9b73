package dev.myelin.nn;

import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * A shake-shake residual block (Gastaldi 2017, "Shake-Shake regularization", arXiv:1705.07485;
 * Fleuret, EE-559 Deep Learning, 6. Going deeper): two residual branches mixed with random
 * weights,
 * <pre>
 * training forward:  y = S(x) + α·F1(x) + (1 − α)·F2(x),      α ~ U(0, 1)
 * training backward: ∂L/∂F1 = β·∂L/∂y,  ∂L/∂F2 = (1 − β)·∂L/∂y,  β ~ U(0, 1) independent of α
 * eval:              y = S(x) + 0.5·F1(x) + 0.5·F2(x)
 * </pre>
 * ("Shake-Shake" in the paper's terms: a new α forward and a new β backward). Draws are per
 * sample by default ({@link Level#IMAGE}, the paper's best CIFAR-10 variant, "Shake-Shake-Image")
 * or one per mini-batch ({@link Level#BATCH}). The mixing, {@link #mix}, is a composition of
 * primitive ops, not an op of its own.
 *
 * <p>Shape: F1(x), F2(x) and S(x) must have the same shape, {@code [N, ...]}. State-dict keys:
 * {@code branch1.*}, {@code branch2.*}, {@code shortcut.*}.
 */
public final class ShakeShake extends Module {
    /** Where α and β are drawn: one per sample or one per mini-batch. */
    public enum Level { IMAGE, BATCH }

    private final Module branch1;
    private final Module branch2;
    private final Module shortcut;
    private final Level level;
    private final Rng rng;

    /** @param shortcut S, or null for the identity */
    public ShakeShake(Module branch1, Module branch2, Module shortcut, Level level, Rng rng) {
        this.branch1 = child("branch1", branch1);
        this.branch2 = child("branch2", branch2);
        this.shortcut = shortcut == null ? null : child("shortcut", shortcut);
        this.level = level;
        this.rng = rng;
    }

    /** Identity shortcut, per-sample draws. */
    public ShakeShake(Module branch1, Module branch2, Rng rng) {
        this(branch1, branch2, null, Level.IMAGE, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining()) {
            return skip(x).add(branch1.forward(x).add(branch2.forward(x)).mul(0.5f));
        }
        int[] shape = new int[x.dim()];
        Arrays.fill(shape, 1);
        if (level == Level.IMAGE) {
            shape[0] = x.size(0);
        }
        Tensor alpha = Tensor.rand(rng, shape);
        Tensor beta = Tensor.rand(rng, shape);
        return forward(x, alpha, beta);
    }

    /** Training with given draws α (forward) and β (backward), broadcast against the branches. */
    public Tensor forward(Tensor x, Tensor alpha, Tensor beta) {
        return skip(x).add(mix(branch1.forward(x), branch2.forward(x), alpha, beta));
    }

    /**
     * α ⊙ a + (1 − α) ⊙ b forward, with the gradient of β ⊙ a + (1 − β) ⊙ b backward: the
     * straight-through composition
     * <pre>
     * y = mixA.detach() + (mixB − mixB.detach()),   mixA = α⊙a + (1−α)⊙b,   mixB = β⊙a + (1−β)⊙b
     * </pre>
     * whose value is mixA and whose gradient is mixB's: ∂L/∂a = β ⊙ ∂L/∂y, ∂L/∂b = (1 − β) ⊙ ∂L/∂y.
     * It is {@code mixB + (mixA − mixB).detach()} rearranged so that the value is exactly mixA
     * (mixB − mixB is exactly 0), not mixA up to one more rounding. α and β are constants (no
     * gradient), broadcast against a and b: {@code [N, 1, ...]} per sample, {@code [1]} per
     * batch. The gradient is not the derivative of the forward pass unless α = β.
     *
     * @throws IllegalArgumentException when a and b differ in shape
     */
    public static Tensor mix(Tensor a, Tensor b, Tensor alpha, Tensor beta) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("shake-shake: expected both branches to give the same shape, received "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        Tensor mixA;
        try (GradMode.Scope s = GradMode.noGrad()) {
            mixA = weighted(a, b, alpha);
        }
        if (!GradMode.isEnabled() || !(a.requiresGrad() || b.requiresGrad())) {
            return mixA;
        }
        Tensor mixB = weighted(a, b, beta.detach());
        return mixA.add(mixB.sub(mixB.detach()));
    }

    /** w ⊙ a + (1 − w) ⊙ b. */
    private static Tensor weighted(Tensor a, Tensor b, Tensor w) {
        return a.mul(w).add(b.mul(w.neg().add(1f)));
    }

    private Tensor skip(Tensor x) {
        return shortcut == null ? x : shortcut.forward(x);
    }

    @Override
    public String toString() {
        return "ShakeShake(level=" + level + ",\n  branch1=" + branch1.toString().replace("\n", "\n  ")
                + ",\n  branch2=" + branch2.toString().replace("\n", "\n  ")
                + (shortcut == null ? "" : ",\n  shortcut=" + shortcut.toString().replace("\n", "\n  ")) + ")";
    }

    @Override
    protected Map<String, Rng> ownStreams() {
        return Map.of("rng", rng);
    }
}
