package dev.myelin.nn;

import dev.myelin.tensor.BatchNormResult;
import dev.myelin.tensor.Tensor;

/**
 * Instance normalization (Ulyanov, Vedaldi &amp; Lempitsky 2016; Sun, "Training DNNs: Tricks", "zoo
 * of normalization"): each channel of each sample is normalized over its own positions, then
 * scaled and shifted per channel:
 * <pre>
 * μ_nc, σ²_nc over the L positions of channel c of sample n (σ² biased)
 * y[n, c, l] = γ_c·(x[n, c, l] − μ_nc)/√(σ²_nc + ε) + β_c
 * with trackRunningStats, in training: running_mean ← (1 − m)·running_mean + m·mean_n(μ_nc)
 *                                      running_var  ← (1 − m)·running_var  + m·mean_n(σ²_nc·L/(L − 1))
 *                       and in eval:   y = γ_c·(x − running_mean_c)/√(running_var_c + ε) + β_c
 * </pre>
 * Defaults as PyTorch's {@code nn.InstanceNorm1d/2d}: eps 1e-5, momentum 0.1, affine false,
 * trackRunningStats false (so eval mode normalizes with the sample's own statistics too).
 * State-dict keys: weight, bias (with affine), running_mean, running_var, num_batches_tracked
 * (with trackRunningStats; as in PyTorch, instance norm never increments the count).
 * Departure from PyTorch: the input must have a batch dimension (no unbatched [C, L]).
 */
public abstract class InstanceNorm extends NormBase {
    /** PyTorch's instance-norm defaults: batch norm's eps and momentum, no affine parameters, no running statistics. */
    public static Options defaults() {
        Options d = Options.defaults();
        return new Options(d.eps(), d.momentum(), false, false);
    }

    InstanceNorm(int features, double eps, double momentum, boolean affine, boolean trackRunningStats, Layout layout) {
        super(features, eps, momentum, affine, trackRunningStats, layout);
    }

    @Override
    final Tensor batchStatisticsForward(Tensor x) {
        int n = x.size(0);
        int c = numFeatures();
        int l = x.numel() / (n * c);
        if (l == 1 && isTraining()) {
            throw new IllegalArgumentException(this + ": expected more than 1 spatial element per channel when"
                    + " training, got input " + java.util.Arrays.toString(x.shape()));
        }
        // One row per (sample, channel); γ and β repeated per sample, so the fused op applies them.
        Tensor gamma = weight() == null ? null : weight().broadcastTo(n, c).reshape(n * c);
        Tensor beta = bias() == null ? null : bias().broadcastTo(n, c).reshape(n * c);
        BatchNormResult r = Tensor.batchNorm(x.reshape(1, n * c, l), gamma, beta, eps());
        if (updatesRunningStats()) {
            updateRunningStats(averageOverBatch(r.mean(), n, c, 1f), averageOverBatch(r.var(), n, c, (float) l / (l - 1)));
        }
        return r.output().reshape(x.shape());
    }

    /** (scale/N)·Σ_n stat[n·C + c] per channel. */
    private static float[] averageOverBatch(float[] stat, int n, int c, float scale) {
        float[] out = new float[c];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                out[ch] += stat[i * c + ch];
            }
        }
        for (int ch = 0; ch < c; ch++) {
            out[ch] *= scale / n;
        }
        return out;
    }
}
