package dev.myelin.nn;

/**
 * Instance normalization of [N, C, H, W] (Ulyanov et al. 2016): each channel of each sample
 * normalized over its positions; the formulas, defaults (affine false, trackRunningStats
 * false) and state-dict keys are on {@link InstanceNorm}, as PyTorch's {@code nn.InstanceNorm2d}.
 */
public final class InstanceNorm2d extends InstanceNorm {
    public InstanceNorm2d(int features, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(features, eps, momentum, affine, trackRunningStats, Layout.IMAGES);
    }

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, no affine parameters, no running statistics. */
    public InstanceNorm2d(int features, Options o) {
        this(features, o.eps(), o.momentum(), o.affine(), o.trackRunningStats());
    }

    public InstanceNorm2d(int features) {
        this(features, InstanceNorm.defaults());
    }
}
