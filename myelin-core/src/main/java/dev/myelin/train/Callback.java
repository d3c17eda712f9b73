package dev.myelin.train;

/**
 * Hooks into {@link Trainer#fit}; every hook has a no-op default (Keras's and DJL's listener
 * shape). A callback stops training by asking the context, with a reason the user sees:
 * {@code ctx.requestStop("val_loss did not improve for 5 epochs")}.
 */
public interface Callback {
    default void onTrainBegin(TrainContext ctx) {
    }

    default void onEpochBegin(TrainContext ctx, int epoch) {
    }

    /** After each optimizer step; {@code loss} is the batch's mean loss. */
    default void onBatchEnd(TrainContext ctx, int epoch, int batch, int batches, double loss, int samples) {
    }

    default void onEpochEnd(TrainContext ctx, EpochMetrics metrics) {
    }

    default void onTrainEnd(TrainContext ctx, History history) {
    }
}
