package dev.myelin.cli.lab;

import dev.myelin.cli.report.Chart;
import dev.myelin.cli.run.PreparedData;
import dev.myelin.data.DataLoader;
import dev.myelin.train.Callback;
import dev.myelin.train.EarlyStopping;
import dev.myelin.train.Evaluation;
import dev.myelin.train.History;
import dev.myelin.train.TrainContext;
import dev.myelin.train.Trainer;
import java.util.List;
import java.util.Locale;

/**
 * {@code myelin lab early-stopping} (Huang, "Training Deep Neural Networks", "Early Stopping": "monitor
 * the validation metrics and terminate the training as soon as [they stop] improving for some
 * consecutive epochs"): a wide MLP without any other regularization over-fits 10,000
 * Fashion-MNIST images — its validation loss turns up after a few epochs while the training loss
 * keeps falling. Early stopping on val_loss (patience 5, restore best) stops it and loads the best
 * epoch's weights back. The chart marks the stopping and the restored epoch; the verdict checks
 * that the restored model's validation loss is the best one recorded, and compares its test
 * figures with the last epoch's. The run is {@code examples/lab/early-stopping/wide-mlp.yaml}.
 */
public final class EarlyStoppingLab {
    private static final String RUN = "wide-mlp";

    /** The lab: one run, quick mode's overrides, and the evaluations around the restore. */
    public static final ConfigLab LAB = new ConfigLab("early-stopping",
            "a wide MLP (784-1024-1024-10) over-fits 10,000 Fashion-MNIST images; early stopping stops it and"
                    + " restores the best epoch",
            List.of(RUN), List.of("data.train_limit=700", "data.validation=0.285714", "data.test_limit=300",
                    "epochs=12", "early_stopping.patience=2", "optimizer.lr=0.01", "model[1].linear.out=64",
                    "model[3].linear.out=64"),
            List.of(Restore::new), EarlyStoppingLab::verdict);

    private EarlyStoppingLab() {
    }

    private static String verdict(LabContext ctx, List<LabRun> runs, Table table) throws Exception {
        LabRun r = runs.get(0);
        EarlyStopping es = r.result().earlyStopping();
        Restore restore = r.metric(Restore.class);
        Evaluation val = restore.validation();
        chart(ctx, table, es);
        summarize(ctx, r, es, val, restore.lastTest);
        return verdict(r, es, val, restore.lastTest);
    }

    /**
     * Evaluates the last epoch's weights on the test split before early stopping loads the best
     * ones back (measurements end before early stopping does), and the restored model on the
     * validation split after training.
     */
    static final class Restore implements Callback {
        private final Trainer trainer;
        private final PreparedData data;
        private Evaluation lastTest;

        Restore(Trainer trainer, PreparedData data) {
            this.trainer = trainer;
            this.data = data;
        }

        @Override
        public void onTrainEnd(TrainContext ctx, History history) {
            lastTest = trainer.evaluate(new DataLoader(data.test(), 1000));
        }

        /** The model's validation figures now (after training: the restored model's). */
        Evaluation validation() {
            return trainer.evaluate(new DataLoader(data.validation(), 1000));
        }
    }

    private static void chart(LabContext ctx, Table t, EarlyStopping es) throws java.io.IOException {
        double[] epoch = t.column(RUN, "epoch");
        double[] val = t.column(RUN, "val_loss");
        double[] valAcc = t.column(RUN, "val_accuracy");
        int stop = es.stoppedEpoch() > 0 ? es.stoppedEpoch() : epoch.length;
        int best = es.restoredEpoch();
        Chart loss = Chart.of("Loss: early stopping on val_loss", "epoch", "cross-entropy")
                .line("train_loss", epoch, t.column(RUN, "train_loss")).line("val_loss", epoch, val)
                .points("stopped (epoch " + stop + ")", new double[] {stop}, new double[] {val[stop - 1]})
                .points("restored (epoch " + best + ")", new double[] {best}, new double[] {val[best - 1]});
        Chart acc = Chart.of("Accuracy", "epoch", "accuracy")
                .line("train_accuracy", epoch, t.column(RUN, "train_accuracy")).line("val_accuracy", epoch, valAcc)
                .points("stopped (epoch " + stop + ")", new double[] {stop}, new double[] {valAcc[stop - 1]})
                .points("restored (epoch " + best + ")", new double[] {best}, new double[] {valAcc[best - 1]});
        Chart.save(ctx.file("early-stopping.png"), loss, acc);
    }

    private static void summarize(LabContext ctx, LabRun r, EarlyStopping es, Evaluation val, Evaluation lastTest) {
        var o = ctx.summary();
        History h = r.history();
        Evaluation test = r.test();
        o.put("train_samples", r.result().trainSamples()).put("max_epochs", r.config().epochs())
                .put("patience", es.options().patience());
        o.put("epochs_run", h.epochs().size()).put("stopped_epoch", es.stoppedEpoch());
        o.put("best_epoch", es.bestEpoch()).put("restored_epoch", es.restoredEpoch());
        o.put("best_val_loss", es.best()).put("restored_val_loss", val.loss());
        o.put("restored_test_accuracy", test.accuracy()).put("restored_test_loss", test.loss());
        o.put("last_epoch_test_accuracy", lastTest.accuracy()).put("last_epoch_test_loss", lastTest.loss());
        o.put("last_epoch_val_loss", h.last().valLoss());
        o.put("stop_reason", h.stopReason());
    }

    private static String verdict(LabRun r, EarlyStopping es, Evaluation val, Evaluation lastTest) {
        History h = r.history();
        Evaluation test = r.test();
        int epochs = r.config().epochs();
        boolean stopped = es.stoppedEpoch() > 0 && es.stoppedEpoch() < epochs;
        boolean same = Math.abs(val.loss() - es.best()) <= 1e-6 * Math.max(1, Math.abs(es.best()));
        List<String> lines = List.of(
                String.format(Locale.ROOT, "validation loss was lowest at epoch %d (%.4f); by epoch %d it had risen to"
                        + " %.4f while the training loss fell from %.4f to %.4f (over-fitting).", es.bestEpoch(),
                        es.best(), h.last().epoch(), h.last().valLoss(), h.epochs().get(es.bestEpoch() - 1).trainLoss(),
                        h.last().trainLoss()),
                stopped ? String.format(Locale.ROOT, "early stopping stopped after epoch %d of %d (patience %d) and"
                        + " restored epoch %d.", es.stoppedEpoch(), epochs, es.options().patience(), es.restoredEpoch())
                        : String.format(Locale.ROOT, "early stopping did NOT stop before the last epoch (%d).", epochs),
                String.format(Locale.ROOT, "restored model: validation loss %.6f vs best recorded %.6f: %s.", val.loss(),
                        es.best(), same ? "equal" : "DIFFERENT"),
                String.format(Locale.ROOT, "test accuracy %.4f (loss %.4f) restored vs %.4f (loss %.4f) at the last"
                        + " epoch.", test.accuracy(), test.loss(), lastTest.accuracy(), lastTest.loss()),
                stopped && same ? "As the lecture says: early stopping ends training when validation stops improving"
                        + " and keeps the best model." : "The lecture's claim is NOT shown by this run.");
        return String.join("\n", lines);
    }
}
