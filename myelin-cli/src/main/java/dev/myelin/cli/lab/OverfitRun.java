package dev.myelin.cli.lab;

import dev.myelin.data.ArrayDataset;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Dataset;
import dev.myelin.data.Splits;
import dev.myelin.train.Evaluation;
import dev.myelin.train.History;
import dev.myelin.train.Trainer;
import java.util.Map;

/**
 * One training run of an overfitting experiment (the regularization labs): fit with a
 * per-epoch evaluation of the training set in evaluation mode ({@link TrainingSetEvaluation},
 * on as many training images as there are validation images), then the test set.
 *
 * @param history the epochs, with the {@code train_eval_*} columns
 * @param test    the test figures after the last epoch
 */
record OverfitRun(History history, Evaluation test) {
    /** Trains {@code trainer} on {@code data} for {@code epochs} epochs of {@code batch} samples, logging as {@code run}. */
    static OverfitRun fit(LabContext ctx, String run, Trainer trainer, Splits data, int epochs, int batch) {
        Dataset trainEval = ArrayDataset.firstOf(data.train(), data.validation().size());
        trainer.addCallback(new TrainingSetEvaluation(trainer, new DataLoader(trainEval, 1000)))
                .addCallback(new EpochLog(ctx, run));
        History h = trainer.fit(new DataLoader(data.train(), batch, ctx.rng().split("shuffle")),
                new DataLoader(data.validation(), 1000), epochs);
        return new OverfitRun(h, trainer.evaluate(new DataLoader(data.test(), 1000)));
    }

    /**
     * The last epoch's figures: accuracies, the gap (training minus validation accuracy, both in
     * evaluation mode), the final and best validation loss, and the test figures.
     */
    Map<String, Double> figures() {
        return TrainingSetEvaluation.figures(history, test);
    }

}
