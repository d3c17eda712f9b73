package dev.myelin.tensor;

/**
 * What training-mode {@link Tensor#batchNorm} returns: the normalized output and, per channel,
 * the batch mean and the biased batch variance (Σ(x − μ)²/M, as the forward pass divides by).
 * The arrays have length C, are fresh and belong to the caller (the layers blend them into
 * their running averages).
 */
public record BatchNormResult(Tensor output, float[] mean, float[] var) {
}
