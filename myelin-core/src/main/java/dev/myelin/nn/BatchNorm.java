package dev.myelin.nn;

import dev.myelin.tensor.BatchNormResult;
import dev.myelin.tensor.Tensor;

/**
 * Batch normalization over a mini-batch (Ioffe &amp; Szegedy 2015; Sun, "Training DNNs: Tricks"),
 * per channel over the batch and every position of the layout [N, C, ...]:
 * <pre>
 * training: y = γ·(x − μ_B)/√(σ²_B + ε) + β      (batch mean, biased batch variance)
 *           running_mean ← (1 − m)·running_mean + m·μ_B
 *           running_var  ← (1 − m)·running_var  + m·σ²_B·M/(M − 1)   (unbiased, as PyTorch)
 * eval:     y = γ·(x − running_mean)/√(running_var + ε) + β
 * </pre>
 * M is the number of values per channel (N, or N·L, or N·H·W). Training runs the fused op
 * {@link Tensor#batchNorm}. Without running statistics the layer uses the batch's statistics
 * in eval mode too, as PyTorch does. Departure from PyTorch: momentum must be a number
 * (PyTorch's momentum=None, a cumulative average, is not offered).
 */
public abstract class BatchNorm extends NormBase {
    BatchNorm(int features, double eps, double momentum, boolean affine, boolean trackRunningStats, Layout layout) {
        super(features, eps, momentum, affine, trackRunningStats, layout);
    }

    @Override
    final Tensor batchStatisticsForward(Tensor x) {
        int c = numFeatures();
        BatchNormResult r = Tensor.batchNorm(x, weight(), bias(), eps());
        float[] var = r.var();
        if (updatesRunningStats()) {
            int m = x.numel() / c;
            float unbias = m > 1 ? (float) m / (m - 1) : 1f;
            for (int ch = 0; ch < c; ch++) {
                var[ch] *= unbias;
            }
            updateRunningStats(r.mean(), var);
            countBatch();
        }
        return r.output();
    }
}
