package dev.myelin.train;

import dev.myelin.nn.Module;
import dev.myelin.tensor.Tensor;

/**
 * A term added to each training batch's loss, e.g. an L1/L2 penalty on the weights or
 * Jacobian regularization: the trainer minimizes {@code L(f(x), y) + Σ penalty}. The reported
 * {@code train_loss} is the data term alone (so runs with and without a penalty compare); the
 * epoch's mean penalty is the {@code penalty} column of {@code metrics.csv}.
 */
public interface Regularizer {
    /**
     * The penalty for one batch, a scalar tensor in the graph of the parameters (and of
     * {@code x} when {@link #needsInputGradient()}).
     *
     * @param model the model in training mode
     * @param x     the batch's inputs
     * @param out   the model's outputs for {@code x}
     */
    Tensor penalty(Module model, Tensor x, Tensor out);

    /**
     * True when the penalty differentiates through the input (e.g. the Jacobian {@code ∂f/∂x}):
     * the trainer then marks {@code x} as requiring gradients before the forward pass.
     */
    default boolean needsInputGradient() {
        return false;
    }
}
