package dev.myelin.nn;

import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * Group normalization (Wu &amp; He 2018; Sun, "Training DNNs: Tricks", "zoo of normalization"): the
 * C channels of each sample are split into G groups of C/G consecutive channels, and each group
 * is normalized over its channels and positions by its own statistics, then scaled and shifted
 * per channel:
 * <pre>
 * μ_ng, σ²_ng over the (C/G)·L values of group g of sample n (σ² biased)
 * y[n, c, ...] = γ_c·(x[n, c, ...] − μ_ng)/√(σ²_ng + ε) + β_c,   g = c / (C/G)
 * </pre>
 * Independent of the batch, so training and evaluation behave the same. G = 1 is layer
 * normalization over (C, ...) with per-channel γ, β; G = C is instance normalization.
 * Shape: [N, C, ...] (at least [N, C]). Defaults and state-dict keys (weight, bias) as
 * PyTorch's {@code nn.GroupNorm}: eps 1e-5, affine true.
 */
public final class GroupNorm extends Module {
    private final int groups;
    private final int channels;
    private final float eps;
    private final Tensor weight;
    private final Tensor bias;

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups < 1 || numChannels < 1 || numChannels % numGroups != 0 || !(eps > 0)) {
            throw new IllegalArgumentException("GroupNorm: expected num_channels divisible by num_groups (both >= 1) and"
                    + " eps > 0, got num_groups=" + numGroups + ", num_channels=" + numChannels + ", eps=" + eps);
        }
        this.groups = numGroups;
        this.channels = numChannels;
        this.eps = (float) eps;
        this.weight = affine ? param("weight", Tensor.ones(numChannels)) : null;
        this.bias = affine ? param("bias", Tensor.zeros(numChannels)) : null;
    }

    /** PyTorch's {@code nn.GroupNorm} options besides the channels: groups (required), eps 1e-5, affine true. */
    public record Options(int groups, double eps, boolean affine) {
        public Options {
            dev.myelin.options.Check.atLeast("groups", groups, 1);
            dev.myelin.options.Check.positive("eps", eps);
        }

        public static Options of(int groups) {
            return new Options(groups, 1e-5, true);
        }
    }

    public GroupNorm(int numChannels, Options o) {
        this(o.groups(), numChannels, o.eps(), o.affine());
    }

    public GroupNorm(int numGroups, int numChannels) {
        this(numChannels, Options.of(numGroups));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 2 || x.size(1) != channels) {
            throw new IllegalArgumentException(this + ": expected input [N, " + channels + ", *], got "
                    + Arrays.toString(x.shape()));
        }
        Tensor y = GroupStatistics.normalize(x, groups, eps);
        if (weight == null) {
            return y;
        }
        int[] cs = new int[x.dim()];
        Arrays.fill(cs, 1);
        cs[1] = channels;
        return y.mul(weight.reshape(cs)).add(bias.reshape(cs));
    }

    public int numGroups() {
        return groups;
    }

    public int numChannels() {
        return channels;
    }

    /** γ, or null without {@code affine}. */
    public Tensor weight() {
        return weight;
    }

    /** β, or null without {@code affine}. */
    public Tensor bias() {
        return bias;
    }

    @Override
    public String toString() {
        return "GroupNorm(" + groups + ", " + channels + ", eps=" + eps + ", affine=" + (weight != null) + ")";
    }
}
