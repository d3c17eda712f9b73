package dev.myelin.nn;

import dev.myelin.tensor.Tensor;

/**
 * Normalization within each sample (layer, group and instance normalization): the input
 * [N, ...] is viewed as [1, N·G, V] (G groups of V consecutive values per sample) and each of
 * the N·G rows is normalized by its own mean and biased variance with the fused
 * {@link Tensor#batchNorm} op, whose channels are then the rows:
 * <pre>
 * x̂[n, g, v] = (x[n, g, v] − μ[n, g]) / √(σ²[n, g] + ε)
 * </pre>
 */
final class GroupStatistics {
    private GroupStatistics() {
    }

    /** x̂ in the shape of {@code x}. */
    static Tensor normalize(Tensor x, int groups, float eps) {
        int rows = x.size(0) * groups;
        Tensor view = x.reshape(1, rows, x.numel() / rows);
        return Tensor.batchNorm(view, null, null, eps).output().reshape(x.shape());
    }
}
