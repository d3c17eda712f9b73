package dev.myelin.nn;

/**
 * Batch normalization of images (Ioffe &amp; Szegedy 2015; Fleuret, "EE-559 Deep Learning, 6. Going deeper", "BatchNorm2d"):
 * one mean and variance per channel, over the batch and every spatial position, as
 * convolutional layers want it (the same feature detector at every position):
 * <pre>
 * training: y[n,c,h,w] = γ_c·(x[n,c,h,w] − μ_c)/√(σ²_c + ε) + β_c
 *           μ_c, σ²_c over the N·H·W values of channel c (σ² biased)
 *           running_mean ← (1 − m)·running_mean + m·μ_c
 *           running_var  ← (1 − m)·running_var  + m·σ²_c·M/(M − 1),  M = N·H·W
 * eval:     y = γ_c·(x − running_mean_c)/√(running_var_c + ε) + β_c
 * </pre>
 * Shape: [N, C, H, W]. Defaults, options and state-dict keys as PyTorch's
 * {@code nn.BatchNorm2d} (eps 1e-5, momentum 0.1, affine, trackRunningStats; weight, bias,
 * running_mean, running_var, num_batches_tracked). Without running statistics the layer
 * normalizes with the batch's statistics in eval mode too, as PyTorch does.
 */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int features, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(features, eps, momentum, affine, trackRunningStats, Layout.IMAGES);
    }

    public BatchNorm2d(int features, Options o) {
        this(features, o.eps(), o.momentum(), o.affine(), o.trackRunningStats());
    }

    public BatchNorm2d(int features) {
        this(features, Options.defaults());
    }
}
