package dev.myelin.nn;

import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * Batch normalization over a mini-batch (Ioffe &amp; Szegedy 2015; training-dnns-tricks.md):
 * <pre>
 * training: y = γ·(x − μ_B)/√(σ²_B + ε) + β      (batch mean, biased batch variance)
 *           running_mean ← (1 − m)·running_mean + m·μ_B
 *           running_var  ← (1 − m)·running_var  + m·σ²_B·M/(M − 1)   (unbiased, as PyTorch)
 * eval:     y = γ·(x − running_mean)/√(running_var + ε) + β
 * </pre>
 * Shape: [N, C] or [N, C, L]. Defaults as PyTorch: eps 1e-5, momentum 0.1 (the weight of the
 * new batch statistic, the opposite of Keras's convention), affine, trackRunningStats.
 * State-dict keys: weight, bias, running_mean, running_var, num_batches_tracked (stored as
 * float32 here; PyTorch stores an int64).
 */
public class BatchNorm1d extends Module {
    private final int features;
    private final float eps;
    private final float momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    public BatchNorm1d(int features, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        if (features < 1) {
            throw new IllegalArgumentException(name() + ": expected num_features >= 1, got " + features);
        }
        this.features = features;
        this.eps = (float) eps;
        this.momentum = (float) momentum;
        this.weight = affine ? param("weight", Tensor.ones(features)) : null;
        this.bias = affine ? param("bias", Tensor.zeros(features)) : null;
        this.runningMean = trackRunningStats ? buffer("running_mean", Tensor.zeros(features)) : null;
        this.runningVar = trackRunningStats ? buffer("running_var", Tensor.ones(features)) : null;
        this.numBatchesTracked = trackRunningStats ? buffer("num_batches_tracked", Tensor.zeros()) : null;
    }

    public BatchNorm1d(int features) {
        this(features, 1e-5, 0.1, true, true);
    }

    String name() {
        return getClass().getSimpleName();
    }

    /** The ranks this layer accepts (2 and 3 for BatchNorm1d). */
    boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }

    String expectedShape() {
        return "[N, " + features + "] or [N, " + features + ", L]";
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!acceptsRank(x.dim()) || x.size(1) != features) {
            throw new IllegalArgumentException(name() + "(" + features + "): expected input " + expectedShape()
                    + ", got " + Arrays.toString(x.shape()));
        }
        if (isTraining() || runningMean == null) {
            return trainForward(x);
        }
        return evalForward(x);
    }

    private Tensor trainForward(Tensor x) {
        float[] mean = new float[features];
        float[] var = new float[features];
        Tensor y = Tensor.batchNorm(x, weight, bias, eps, mean, var);
        if (isTraining() && runningMean != null) {
            int m = x.numel() / features;
            float unbias = m > 1 ? (float) m / (m - 1) : 1f;
            float[] rm = runningMean.data();
            float[] rv = runningVar.data();
            for (int c = 0; c < features; c++) {
                rm[c] = (1 - momentum) * rm[c] + momentum * mean[c];
                rv[c] = (1 - momentum) * rv[c] + momentum * var[c] * unbias;
            }
            numBatchesTracked.data()[0] += 1f;
        }
        return y;
    }

    /** y = x·s + t with s = γ/√(running_var + ε), t = β − running_mean·s, per channel. */
    private Tensor evalForward(Tensor x) {
        int[] cs = new int[x.dim()];
        Arrays.fill(cs, 1);
        cs[1] = features;
        Tensor invStd = runningVar.add(eps).sqrt().pow(-1f);
        Tensor scale = weight == null ? invStd : weight.mul(invStd);
        Tensor shift = runningMean.mul(scale).neg();
        if (bias != null) {
            shift = shift.add(bias);
        }
        return x.mul(scale.reshape(cs)).add(shift.reshape(cs));
    }

    public int numFeatures() {
        return features;
    }

    public float eps() {
        return eps;
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    public String toString() {
        return name() + "(" + features + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + (weight != null)
                + ", track_running_stats=" + (runningMean != null) + ")";
    }
}
