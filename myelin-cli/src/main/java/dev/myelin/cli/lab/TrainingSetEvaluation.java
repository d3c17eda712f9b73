package dev.myelin.cli.lab;

import dev.myelin.cli.run.PreparedData;
import dev.myelin.data.ArrayDataset;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Dataset;
import dev.myelin.train.Callback;
import dev.myelin.train.EpochMetrics;
import dev.myelin.train.Evaluation;
import dev.myelin.train.History;
import dev.myelin.train.TrainContext;
import dev.myelin.train.Trainer;
import java.util.LinkedHashMap;
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

    /**
     * A {@link ConfigLab.Metric}: evaluates the first as many training samples as the run holds
     * out for validation (all of them when it holds out none or more).
     */
    public static TrainingSetEvaluation ofValidationSize(Trainer trainer, PreparedData data) {
        Dataset train = data.train();
        int n = data.validation() == null ? train.size() : data.validation().size();
        return new TrainingSetEvaluation(trainer, new DataLoader(ArrayDataset.firstOf(train, n), 1000));
    }

    /**
     * The last epoch's figures of a run with this metric: accuracies, the gap (training minus
     * validation accuracy, both in evaluation mode), the final and best validation loss, and the
     * test figures.
     */
    public static Map<String, Double> figures(LabRun r) {
        History history = r.history();
        Evaluation test = r.test();
        EpochMetrics last = history.last();
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("train_accuracy", last.get("train_eval_accuracy"));
        f.put("val_accuracy", last.valAccuracy());
        f.put("gap", last.get("train_eval_accuracy") - last.valAccuracy());
        f.put("train_loss", last.get("train_eval_loss"));
        f.put("val_loss", last.valLoss());
        f.put("best_val_loss", history.epochs().stream().mapToDouble(EpochMetrics::valLoss).min().orElse(Double.NaN));
        f.put("test_accuracy", test == null ? Double.NaN : test.accuracy());
        f.put("test_loss", test == null ? Double.NaN : test.loss());
        f.put("train_seconds", history.epochs().stream().mapToDouble(EpochMetrics::seconds).sum());
        return f;
    }
}
