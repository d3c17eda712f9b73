package dev.myelin.train;

import java.util.Map;

/**
 * Hooks into {@link Trainer#fit}; every hook has a no-op default (Keras's and DJL's listener
 * shape). A callback stops training by asking the context, with a reason the user sees:
 * {@code ctx.requestStop("val_loss did not improve for 5 epochs")}.
 *
 * <p>Order within one step: {@link #onBatchBegin} (e.g. weight noise), forward, loss (plus regularizers' penalties), backward,
 * {@link #onBeforeStep} (gradient clipping and gradient statistics go here), optimizer step,
 * {@link #onBatchEnd} (constraints on the weights and per-step schedules go here).
 */
public interface Callback {
    default void onTrainBegin(TrainContext ctx) {
    }

    default void onEpochBegin(TrainContext ctx, int epoch) {
    }

    /** Before the forward pass of batch {@code batch} (1-based) of {@code batches}. */
    default void onBatchBegin(TrainContext ctx, int epoch, int batch, int batches) {
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

    /**
     * After a step's or an epoch's last hook, where the trainer's state is whole and
     * {@link TrainContext#snapshot()} resumes exactly: after every step but an epoch's last
     * ({@code epochEnd} false), and after every epoch's {@link #onEpochEnd} ({@code epochEnd}
     * true; not after an epoch whose last update made the weights or the loss non-finite).
     * Checkpoint writers go here ({@link ModelCheckpoint}).
     */
    default void onSnapshotPoint(TrainContext ctx, boolean epochEnd) {
    }

    default void onTrainEnd(TrainContext ctx, History history) {
    }
}
