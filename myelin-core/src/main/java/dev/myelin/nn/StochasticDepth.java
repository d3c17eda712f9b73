package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A residual block whose branch is dropped at random in training (Huang et al. 2016, "Deep
 * Networks with Stochastic Depth", arXiv:1603.09382; Fleuret, "EE-559 Deep Learning, 6. Going deeper"):
 * <pre>
 * training: y = S(x) + b · F(x),   b ~ Bernoulli(p)   (one draw per mini-batch, as the paper)
 * eval:     y = S(x) + p · F(x)                         (the expected branch, as the paper)
 * </pre>
 * S is the shortcut (identity by default; a projection for blocks that change the shape) and p
 * the survival probability. A dropped branch is not computed at all, which is where the paper's
 * training speed-up comes from. For a stack of L blocks the paper's linear decay rule
 * {@link #linearDecay} gives block l the survival probability p_l = 1 − (l/L)(1 − p_L).
 *
 * <p>Departure from torchvision's {@code StochasticDepth}: torchvision divides by p in
 * training and does nothing at test time (inverted, like dropout); this class follows the
 * paper. Per-sample draws (torchvision's "row" mode) are {@link Mode#ROW}.
 *
 * <p>Shape: whatever F and S map; F(x) and S(x) must have the same shape. State-dict keys:
 * {@code branch.*}, {@code shortcut.*}.
 */
public final class StochasticDepth extends Module {
    /** One draw per mini-batch (the paper) or one per sample. */
    public enum Mode { BATCH, ROW }

    private final Module branch;
    private final Module shortcut;
    private final double survival;
    private final Mode mode;
    private final Rng rng;

    /**
     * @param branch   F, the residual branch
     * @param shortcut S, or null for the identity
     * @param survival p in (0, 1]
     */
    public StochasticDepth(Module branch, Module shortcut, double survival, Mode mode, Rng rng) {
        if (!(survival > 0 && survival <= 1)) {
            throw new IllegalArgumentException("StochasticDepth: expected a survival probability in (0, 1], received "
                    + survival);
        }
        this.branch = child("branch", branch);
        this.shortcut = shortcut == null ? null : child("shortcut", shortcut);
        this.survival = survival;
        this.mode = mode;
        this.rng = rng;
    }

    /** Identity shortcut, one draw per mini-batch. */
    public StochasticDepth(Module branch, double survival, Rng rng) {
        this(branch, null, survival, Mode.BATCH, rng);
    }

    public double survival() {
        return survival;
    }

    /**
     * The paper's linear decay rule for blocks l = 1..L: p_l = 1 − (l/L)(1 − p_L), from nearly 1
     * at the input to {@code last} (the paper: 0.5) at the output.
     */
    public static double[] linearDecay(int blocks, double last) {
        if (blocks < 1 || !(last > 0 && last <= 1)) {
            throw new IllegalArgumentException("linearDecay: expected blocks >= 1 and p_L in (0, 1], received "
                    + blocks + " and " + last);
        }
        double[] p = new double[blocks];
        for (int l = 1; l <= blocks; l++) {
            p[l - 1] = 1 - (double) l / blocks * (1 - last);
        }
        return p;
    }

    /** Wraps each branch with its linear-decay survival probability (identity shortcuts). */
    public static Sequential stack(List<? extends Module> branches, double last, Rng rng) {
        double[] p = linearDecay(branches.size(), last);
        List<Module> blocks = new ArrayList<>();
        for (int l = 0; l < p.length; l++) {
            blocks.add(new StochasticDepth(branches.get(l), null, p[l], Mode.BATCH, rng.split("block " + l)));
        }
        return new Sequential(blocks);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining()) {
            return skip(x).add(branch.forward(x).mul((float) survival));
        }
        if (mode == Mode.BATCH) {
            return rng.nextDouble() < survival ? skip(x).add(branch.forward(x)) : skip(x);
        }
        int[] maskShape = new int[x.dim()];
        java.util.Arrays.fill(maskShape, 1);
        maskShape[0] = x.size(0);
        return forward(x, Tensor.bernoulli(rng, survival, maskShape));
    }

    /** Training with given draws: y = S(x) + keep ⊙ F(x), keep broadcast against F(x) (e.g. [N, 1] or []). */
    public Tensor forward(Tensor x, Tensor keep) {
        return skip(x).add(branch.forward(x).mul(keep));
    }

    private Tensor skip(Tensor x) {
        return shortcut == null ? x : shortcut.forward(x);
    }

    @Override
    public String toString() {
        return "StochasticDepth(p=" + survival + ", mode=" + mode + ",\n  branch=" + branch.toString().replace("\n", "\n  ")
                + (shortcut == null ? "" : ",\n  shortcut=" + shortcut.toString().replace("\n", "\n  ")) + ")";
    }

    @Override
    protected Map<String, Rng> ownStreams() {
        return Map.of("rng", rng);
    }
}
