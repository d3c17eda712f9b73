package dev.myelin.nn;

/**
 * Batch normalization of feature vectors or sequences (Ioffe &amp; Szegedy 2015): one mean
 * and variance per feature, over the batch (and the length L of [N, C, L]); the formulas are on
 * {@link BatchNorm}.
 *
 * <p>Shape: [N, C] or [N, C, L]. Defaults as PyTorch's {@code nn.BatchNorm1d}: eps 1e-5,
 * momentum 0.1 (the weight of the new batch statistic), affine, trackRunningStats. State-dict
 * keys: weight, bias, running_mean, running_var, num_batches_tracked.
 */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int features, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(features, eps, momentum, affine, trackRunningStats, Layout.FEATURES_OR_SEQUENCE);
    }

    public BatchNorm1d(int features, Options o) {
        this(features, o.eps(), o.momentum(), o.affine(), o.trackRunningStats());
    }

    public BatchNorm1d(int features) {
        this(features, Options.defaults());
    }
}
