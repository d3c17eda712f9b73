package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.ShakeShakeOp;
import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * A shake-shake residual block (Gastaldi 2017, "Shake-Shake regularization",
 * arXiv:1705.07485; going-deeper.md): two residual branches mixed with random weights,
 * <pre>
 * training forward:  y = S(x) + α·F1(x) + (1 − α)·F2(x),      α ~ U(0, 1)
 * training backward: ∂L/∂F1 = β·∂L/∂y,  ∂L/∂F2 = (1 − β)·∂L/∂y,  β ~ U(0, 1) independent of α
 * eval:              y = S(x) + 0.5·F1(x) + 0.5·F2(x)
 * </pre>
 * ("Shake-Shake" in the paper's terms: a new α forward and a new β backward). Draws are per
 * sample by default ({@link Level#IMAGE}, the paper's best CIFAR-10 variant, "Shake-Shake-Image")
 * or one per mini-batch ({@link Level#BATCH}). The mixing is the {@link ShakeShakeOp} op.
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
        return skip(x).add(ShakeShakeOp.mix(branch1.forward(x), branch2.forward(x), alpha, beta));
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
}
