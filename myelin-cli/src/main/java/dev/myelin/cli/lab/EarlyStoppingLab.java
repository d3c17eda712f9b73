package dev.myelin.cli.lab;

import dev.myelin.data.DataLoader;
import dev.myelin.data.Splits;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Adam;
import dev.myelin.tensor.Rng;
import dev.myelin.train.Callback;
import dev.myelin.train.EarlyStopping;
import dev.myelin.train.EpochMetrics;
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
 * figures with the last epoch's.
 */
public final class EarlyStoppingLab implements Experiment {
    private static final String RUN = "wide-mlp";

    /** The sizes of one mode. */
    private record Setup(int train, int validation, int test, int width, int epochs, int patience, double lr) {
    }

    @Override
    public String name() {
        return "early-stopping";
    }

    @Override
    public String description() {
        return "a wide MLP (784-1024-1024-10) over-fits 10,000 Fashion-MNIST images; early stopping stops it and"
                + " restores the best epoch";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        Setup s = ctx.quick() ? new Setup(500, 200, 300, 64, 12, 2, 1e-2)
                : new Setup(10_000, 2_000, 10_000, 1024, 40, 5, 1e-3);
        Splits data = LabData.fashion(ctx, s.train() + s.validation(), s.validation(), s.test());
        Rng rng = ctx.rng();
        Sequential model = new Sequential(new Flatten(), new Linear(784, s.width(), rng.split("l0")), Activation.relu(),
                new Linear(s.width(), s.width(), rng.split("l1")), Activation.relu(),
                new Linear(s.width(), 10, rng.split("l2")));
        Trainer trainer = new Trainer(model, Loss.crossEntropy(), new Adam(model.parameters(), Adam.Options.of(s.lr())));
        DataLoader val = new DataLoader(data.validation(), 1000);
        DataLoader test = new DataLoader(data.test(), 1000);
        LastEpoch last = new LastEpoch(test);
        EarlyStopping es = new EarlyStopping(new EarlyStopping.Options("val_loss", EarlyStopping.Mode.AUTO,
                s.patience(), 0, true, 0));
        trainer.addCallback(new EpochLog(ctx, RUN)).addCallback(last).addCallback(es);
        ctx.log("training %d-%d-%d-10 on %,d images (validation %,d) for at most %d epochs, early stopping on val_loss"
                + " with patience %d", 784, s.width(), s.width(), data.train().size(), s.validation(), s.epochs(),
                s.patience());
        History h = trainer.fit(new DataLoader(data.train(), 128, rng.split("shuffle")), val, s.epochs());
        Evaluation restoredVal = trainer.evaluate(val);
        Evaluation restoredTest = trainer.evaluate(test);

        Table table = new Table().add(RUN, h);
        table.write(ctx.file("metrics.csv"));
        chart(ctx, table, es);
        summarize(ctx, s, h, es, restoredVal, restoredTest, last.result);
        return verdict(s, h, es, restoredVal, restoredTest, last.result);
    }

    /** Evaluates the last epoch's weights on the test split before early stopping loads the best ones back. */
    private static final class LastEpoch implements Callback {
        private final DataLoader loader;
        private Evaluation result;

        LastEpoch(DataLoader loader) {
            this.loader = loader;
        }

        @Override
        public void onTrainEnd(TrainContext ctx, History history) {
            result = new Trainer(ctx.model(), Loss.crossEntropy(), null).evaluate(loader);
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

    private static void summarize(LabContext ctx, Setup s, History h, EarlyStopping es, Evaluation val,
                                  Evaluation test, Evaluation lastTest) {
        var o = ctx.summary();
        o.put("train_samples", s.train()).put("validation_samples", s.validation()).put("test_samples", s.test());
        o.put("hidden_width", s.width()).put("max_epochs", s.epochs()).put("patience", s.patience());
        o.put("epochs_run", h.epochs().size()).put("stopped_epoch", es.stoppedEpoch());
        o.put("best_epoch", es.bestEpoch()).put("restored_epoch", es.restoredEpoch());
        o.put("best_val_loss", es.best()).put("restored_val_loss", val.loss());
        o.put("restored_test_accuracy", test.accuracy()).put("restored_test_loss", test.loss());
        o.put("last_epoch_test_accuracy", lastTest.accuracy()).put("last_epoch_test_loss", lastTest.loss());
        o.put("last_epoch_val_loss", h.last().valLoss());
        o.put("stop_reason", h.stopReason());
    }

    private static String verdict(Setup s, History h, EarlyStopping es, Evaluation val, Evaluation test,
                                  Evaluation lastTest) {
        boolean stopped = es.stoppedEpoch() > 0 && es.stoppedEpoch() < s.epochs();
        boolean same = Math.abs(val.loss() - es.best()) <= 1e-6 * Math.max(1, Math.abs(es.best()));
        List<String> lines = List.of(
                String.format(Locale.ROOT, "validation loss was lowest at epoch %d (%.4f); by epoch %d it had risen to"
                        + " %.4f while the training loss fell from %.4f to %.4f (over-fitting).", es.bestEpoch(),
                        es.best(), h.last().epoch(), h.last().valLoss(), h.epochs().get(es.bestEpoch() - 1).trainLoss(),
                        h.last().trainLoss()),
                stopped ? String.format(Locale.ROOT, "early stopping stopped after epoch %d of %d (patience %d) and"
                        + " restored epoch %d.", es.stoppedEpoch(), s.epochs(), s.patience(), es.restoredEpoch())
                        : String.format(Locale.ROOT, "early stopping did NOT stop before the last epoch (%d).", s.epochs()),
                String.format(Locale.ROOT, "restored model: validation loss %.6f vs best recorded %.6f: %s.", val.loss(),
                        es.best(), same ? "equal" : "DIFFERENT"),
                String.format(Locale.ROOT, "test accuracy %.4f (loss %.4f) restored vs %.4f (loss %.4f) at the last"
                        + " epoch.", test.accuracy(), test.loss(), lastTest.accuracy(), lastTest.loss()),
                stopped && same ? "As the lecture says: early stopping ends training when validation stops improving"
                        + " and keeps the best model." : "The lecture's claim is NOT shown by this run.");
        return String.join("\n", lines);
    }
}
