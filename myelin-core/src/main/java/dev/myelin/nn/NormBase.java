package dev.myelin.nn;

import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * What batch and instance normalization share (PyTorch's {@code _NormBase}): per-channel
 * affine parameters γ (weight, ones) and β (bias, zeros) when {@code affine}, running averages
 * of the mean and variance when {@code trackRunningStats}, and the evaluation path that
 * normalizes with those averages:
 * <pre>
 * y = x·s + t,   s = γ/√(running_var + ε),   t = β − running_mean·s      (per channel)
 * running ← (1 − m)·running + m·statistic                                    (training)
 * </pre>
 * Momentum m is the weight of the new statistic (PyTorch's convention; Keras's is 1 − m).
 * State-dict keys: weight, bias, running_mean, running_var, num_batches_tracked (stored as
 * float32 here; PyTorch stores an int64). Subclasses give their input {@link Layout} and say
 * how they normalize with batch statistics.
 */
public abstract class NormBase extends Module {
    /**
     * Options of the per-channel norms with running statistics, as PyTorch's keyword arguments.
     * Defaults ({@link #defaults()}) are batch norm's: eps 1e-5, momentum 0.1, affine true,
     * track_running_stats true; instance norm's are {@link InstanceNorm#defaults()}.
     *
     * @param momentum the weight of the new batch statistic in the running averages, in [0, 1]
     */
    public record Options(double eps, double momentum, boolean affine, boolean trackRunningStats) {
        public Options {
            dev.myelin.options.Check.positive("eps", eps);
            dev.myelin.options.Check.fraction("momentum", momentum);
        }

        public static Options defaults() {
            return new Options(1e-5, 0.1, true, true);
        }
    }

    private final int features;
    private final float eps;
    private final float momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    /** The input layouts a per-channel norm takes: the ranks and how to write them in an error. */
    enum Layout {
        /** [N, C] or [N, C, L] (BatchNorm1d). */
        FEATURES_OR_SEQUENCE("[N, %d] or [N, %d, L]", 2, 3),
        /** [N, C, L] (InstanceNorm1d). */
        SEQUENCE("[N, %d, L]", 3),
        /** [N, C, H, W] (BatchNorm2d, InstanceNorm2d). */
        IMAGES("[N, %d, H, W]", 4);

        private final String pattern;
        private final int[] ranks;

        Layout(String pattern, int... ranks) {
            this.pattern = pattern;
            this.ranks = ranks;
        }

        boolean accepts(int rank) {
            return Arrays.stream(ranks).anyMatch(r -> r == rank);
        }

        String describe(int channels) {
            return pattern.replace("%d", Integer.toString(channels));
        }
    }

    private final Layout layout;

    NormBase(int features, double eps, double momentum, boolean affine, boolean trackRunningStats, Layout layout) {
        this.layout = layout;
        if (features < 1) {
            throw new IllegalArgumentException(name() + ": expected num_features >= 1, got " + features);
        }
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(name() + "(" + features + "): expected eps > 0 and momentum in [0, 1], got eps="
                    + eps + ", momentum=" + momentum);
        }
        this.features = features;
        this.eps = (float) eps;
        this.momentum = (float) momentum;
        this.weight = affine ? param("weight", Tensor.ones(features)) : null;
        this.bias = affine ? param("bias", Tensor.zeros(features)) : null;
        this.runningMean = trackRunningStats ? buffer("running_mean", Tensor.zeros(features)) : null;
        this.runningVar = trackRunningStats ? buffer("running_var", Tensor.ones(features)) : null;
        this.numBatchesTracked = trackRunningStats ? integerBuffer("num_batches_tracked", Tensor.zeros()) : null;
    }

    String name() {
        return getClass().getSimpleName();
    }

    /** Normalizes with the statistics of the input itself (training, or no running averages). */
    abstract Tensor batchStatisticsForward(Tensor x);

    @Override
    public Tensor forward(Tensor x) {
        if (!layout.accepts(x.dim()) || x.size(1) != features) {
            throw new IllegalArgumentException(name() + "(" + features + "): expected input " + layout.describe(features)
                    + ", got " + Arrays.toString(x.shape()));
        }
        if (isTraining() || runningMean == null) {
            return batchStatisticsForward(x);
        }
        return evalForward(x);
    }

    /** Blends per-channel statistics into the running averages (training with running stats only). */
    final void updateRunningStats(float[] mean, float[] unbiasedVar) {
        float[] rm = runningMean.data();
        float[] rv = runningVar.data();
        for (int c = 0; c < features; c++) {
            rm[c] = (1 - momentum) * rm[c] + momentum * mean[c];
            rv[c] = (1 - momentum) * rv[c] + momentum * unbiasedVar[c];
        }
    }

    final void countBatch() {
        numBatchesTracked.data()[0] += 1f;
    }

    /** True in training mode when running averages are kept. */
    final boolean updatesRunningStats() {
        return isTraining() && runningMean != null;
    }

    /** y = x·s + t; without grad mode (inference) in one fused pass, {@link Tensor#channelScaleShift}. */
    private Tensor evalForward(Tensor x) {
        Tensor[] st = evalScaleShift();
        if (!GradMode.isEnabled()) {
            return Tensor.channelScaleShift(x, st[0], st[1]);
        }
        int[] cs = channelShape(x.dim());
        return x.mul(st[0].reshape(cs)).add(st[1].reshape(cs));
    }

    /**
     * The per-channel {s, t} of the evaluation path, y = x·s + t, from the running averages;
     * what BN folding multiplies into the preceding layer.
     */
    public final Tensor[] evalScaleShift() {
        if (runningMean == null) {
            throw new IllegalStateException(this + " keeps no running statistics, so it has no fixed scale and shift");
        }
        Tensor invStd = runningVar.add(eps).sqrt().pow(-1f);
        Tensor scale = weight == null ? invStd : weight.mul(invStd);
        Tensor shift = runningMean.mul(scale).neg();
        return new Tensor[] {scale, bias == null ? shift : shift.add(bias)};
    }

    /** [1, C, 1, ...] of the given rank: a per-channel tensor shaped to broadcast against the input. */
    final int[] channelShape(int rank) {
        int[] cs = new int[rank];
        Arrays.fill(cs, 1);
        cs[1] = features;
        return cs;
    }

    public int numFeatures() {
        return features;
    }

    public float eps() {
        return eps;
    }

    public float momentum() {
        return momentum;
    }

    /** γ, or null without {@code affine}. */
    public Tensor weight() {
        return weight;
    }

    /** β, or null without {@code affine}. */
    public Tensor bias() {
        return bias;
    }

    /** The running mean, or null without {@code trackRunningStats}. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running variance (unbiased), or null without {@code trackRunningStats}. */
    public Tensor runningVar() {
        return runningVar;
    }

    public boolean tracksRunningStats() {
        return runningMean != null;
    }

    @Override
    public String toString() {
        return name() + "(" + features + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + (weight != null)
                + ", track_running_stats=" + (runningMean != null) + ")";
    }
}
