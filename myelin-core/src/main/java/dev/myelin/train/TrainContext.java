package dev.myelin.train;

import dev.myelin.nn.Module;
import dev.myelin.optim.Optimizer;

/** What callbacks see of a running {@link Trainer#fit}: the model, the optimizer, and a stop switch. */
public final class TrainContext {
    private final Module model;
    private final Optimizer optimizer;
    private final int epochs;
    private String stopReason;

    TrainContext(Module model, Optimizer optimizer, int epochs) {
        this.model = model;
        this.optimizer = optimizer;
        this.epochs = epochs;
    }

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
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
