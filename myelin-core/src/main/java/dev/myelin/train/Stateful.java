package dev.myelin.train;

/**
 * A part of a training run whose state a checkpoint must keep for the run to continue exactly:
 * a schedule's counter, early stopping's best value and weights, a noise stream's position.
 * {@link Trainer#snapshot()} asks every callback and regularizer that implements this for its
 * state, each in a {@link TrainState#child child} view of its own; {@link Trainer#restore}
 * gives it back after {@link Callback#onTrainBegin} has run, so a restored value is not reset.
 */
public interface Stateful {
    /** The name of this part's view in the checkpoint, e.g. {@code early_stopping}; unique within a trainer. */
    String stateName();

    /** Writes this part's state into {@code into}. */
    void saveState(TrainState into);

    /** Restores what {@link #saveState} wrote. */
    void loadState(TrainState from);
}
