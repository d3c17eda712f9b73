package dev.myelin.cli.lab;

import dev.myelin.data.DataLoader;
import dev.myelin.train.Callback;
import dev.myelin.train.Evaluation;
import dev.myelin.train.TrainContext;
import dev.myelin.train.Trainer;
import java.util.Map;

/**
 * Evaluates the training set in evaluation mode after each epoch and adds the figures as the
 * {@code train_eval_loss} and {@code train_eval_accuracy} columns. The trainer's own
 * {@code train_loss} is the mean over the epoch's steps in training mode (dropout on, weights
 * still moving), which flatters nothing but is not comparable between runs with and without
 * dropout; the overfitting gap is measured with these columns.
 */
public final class TrainingSetEvaluation implements Callback {
    private final Trainer trainer;
    private final DataLoader data;

    /** @param data the training set, in a loader without shuffling */
    public TrainingSetEvaluation(Trainer trainer, DataLoader data) {
        this.trainer = trainer;
        this.data = data;
    }

    @Override
    public void collectMetrics(TrainContext ctx, int epoch, Map<String, Double> into) {
        Evaluation e = trainer.evaluate(data);
        into.put("train_eval_loss", e.loss());
        into.put("train_eval_accuracy", e.accuracy());
    }
}
