package dev.myelin.train;

import java.util.Map;

/**
 * Hooks into {@link Trainer#fit}; every hook has a no-op default (Keras's and DJL's listener
 * shape). A callback stops training by asking the context, with a reason the user sees:
 * {@code ctx.requestStop("val_loss did not improve for 5 epochs")}.
 *
 * <p>Order within one step: forward, loss (plus regularizers' penalties), backward,
 * {@link #onBeforeStep} (gradient clipping and gradient statistics go here), optimizer step,
 * {@link #onBatchEnd} (constraints on the weights and per-step schedules go here).
 */
public interface Callback {
    default void onTrainBegin(TrainContext ctx) {
    }

    default void onEpochBegin(TrainContext ctx, int epoch) {
    }

    /** After the backward pass and before the optimizer step: the gradients are in the parameters. */
    default void onBeforeStep(TrainContext ctx) {
    }

    /** After each optimizer step; {@code loss} is the batch's mean loss. */
    default void onBatchEnd(TrainContext ctx, int epoch, int batch, int batches, double loss, int samples) {
    }

    /**
     * When the epoch's figures are assembled (after validation, before {@link #onEpochEnd}): put
     * extra {@code metrics.csv} columns into {@code into}, e.g. {@code into.put("grad_norm", mean)}.
     * Use the same keys every epoch.
     */
    default void collectMetrics(TrainContext ctx, int epoch, Map<String, Double> into) {
    }

    default void onEpochEnd(TrainContext ctx, EpochMetrics metrics) {
    }

    default void onTrainEnd(TrainContext ctx, History history) {
    }
}
