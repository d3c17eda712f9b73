package dev.myelin.train;

import dev.myelin.nn.Module;
import dev.myelin.optim.Optimizer;

/**
 * What callbacks see of a running {@link Trainer#fit}: the model, the optimizer, the step, a
 * snapshot of the state (at a snapshot point), and a stop switch.
 */
public final class TrainContext {
    private final Trainer trainer;
    private final int epochs;
    private String stopReason;

    TrainContext(Trainer trainer, int epochs) {
        this.trainer = trainer;
        this.epochs = epochs;
    }

    public Module model() {
        return trainer.model();
    }

    public Optimizer optimizer() {
        return trainer.optimizer();
    }

    /** Optimizer steps taken so far. */
    public long step() {
        return trainer.step();
    }

    /** The trainer's state now, for a checkpoint; see {@link Trainer#snapshot()}. */
    public TrainState snapshot() {
        return trainer.snapshot();
    }

    /** The number of epochs fit was asked for. */
    public int epochs() {
        return epochs;
    }

    /** Asks the trainer to stop after the current epoch, with a reason it reports. */
    public void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    String stopReason() {
        return stopReason;
    }
}
