package dev.myelin.cli.run;

import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.report.RunReport;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Dataset;
import dev.myelin.io.SafeTensors;
import dev.myelin.nn.ModelSummary;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import dev.myelin.train.Callback;
import dev.myelin.nn.LoadReport;
import dev.myelin.train.EarlyStopping;
import dev.myelin.train.FineTuning;
import dev.myelin.train.Evaluation;
import dev.myelin.train.GradientClipper;
import dev.myelin.train.History;
import dev.myelin.train.MetricsCsv;
import dev.myelin.train.ModelCheckpoint;
import dev.myelin.train.ProgressBar;
import dev.myelin.train.TrainContext;
import dev.myelin.train.TrainState;
import dev.myelin.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Trains one model of a run into a folder: {@code metrics.csv}, and {@code model.safetensors}
 * written after every epoch; with early stopping, the checkpoint is written once more at the end
 * with the restored (best) weights. {@code checkpoints/last} (and {@code best}, see
 * {@link ModelCheckpoint}) holds the full state a resumed run continues from. Then evaluates the kept model on the test split. A plain run
 * trains one model into the run folder; an ensemble trains each member into
 * {@code members/<k>/}.
 */
public final class ModelTraining {
    private ModelTraining() {
    }

    /**
     * What training one model gave.
     *
     * @param test            the test figures of the kept checkpoint, null when the loss diverged in epoch 1
     * @param checkpointEpoch the epoch whose weights the checkpoint holds (0 when none was written)
     * @param earlyStopping   the callback when the config has {@code early_stopping}, else null
     */
    public record Result(Sequential model, History history, Evaluation test, double wallSeconds, int checkpointEpoch,
                  EarlyStopping earlyStopping, int trainSamples) {
    }

    /**
     * @param train   the samples to train on (the training split, or a member's bootstrap sample)
     * @param streams the stream whose splits "model" (initialization, dropout), "shuffle" and
     *                "augment" the training draws from (the run's root, or a member's)
     */
    public static Result run(RunConfig c, PreparedData d, Dataset train, Rng streams, Path dir, PrintStream console,
                             boolean interactive) throws IOException {
        return run(c, d, train, streams, dir, console, interactive, List.of());
    }

    /**
     * As {@link #run(RunConfig, PreparedData, Dataset, Rng, Path, PrintStream, boolean)}, with
     * callbacks a config cannot express (the labs' measurements), each made from the trainer.
     */
    public static Result run(RunConfig c, PreparedData d, Dataset train, Rng streams, Path dir, PrintStream console,
                             boolean interactive, List<Function<Trainer, Callback>> extras) throws IOException {
        return run(c, d, train, streams, dir, console, interactive, extras, null);
    }

    /**
     * As above, continuing from the full checkpoint {@code resumeFrom} (a {@code checkpoints/last}
     * folder) when it is not null: the model is built as before, then its weights, the
     * optimizer, the schedule, early stopping, the random streams and the loader's position are
     * restored, and metrics.csv keeps the rows of the epochs the checkpoint completed.
     */
    public static Result run(RunConfig c, PreparedData d, Dataset train, Rng streams, Path dir, PrintStream console,
                             boolean interactive, List<Function<Trainer, Callback>> extras, Path resumeFrom)
            throws IOException {
        Sequential model = c.spec().build(d.featureShape(), d.numClasses(), streams.split("model"));
        if (resumeFrom == null && c.transfer().initFrom() != null) {
            console.println(initialize(model, c));
        }
        FineTuning fineTuning = new FineTuning(c.transfer());
        fineTuning.applyFor(model, 1); // frozen from the start: no weight decay or LSUV statistics reach them
        if (resumeFrom == null) {
            String lsuv = c.spec().lsuv(model, train, streams.split("lsuv"));
            if (lsuv != null) {
                console.println(lsuv);
            }
        }
        Trainer trainer = new Trainer(model, c.loss().create(), c.optimizer().create(model, c.source()));
        // Each epoch sets what is frozen before anything else of that epoch runs.
        trainer.addCallback(fineTuning);
        // Then, so that weight noise is off before any other callback's onTrainEnd (early stopping's restore)
        c.regularization().install(trainer, streams.split("regularization"));
        // Measurements next, so that they see the gradients as backprop made them, before clipping.
        extras.forEach(e -> trainer.addCallback(e.apply(trainer)));
        if (c.schedule() != null) {
            trainer.addCallback(c.schedule().create());
        }
        if (c.clip() != null) {
            trainer.addCallback(new GradientClipper(c.clip().rule()));
        }
        Path ckpt = dir.resolve(Checkpoint.FILE_NAME);
        Saver saver = new Saver(ckpt, c, d);
        int completed = resumeFrom == null ? 0 : completedEpochs(resumeFrom);
        trainer.addCallback(interactive ? ProgressBar.console() : new ProgressBar(console, false))
                .addCallback(new MetricsCsv(dir.resolve(RunFolder.METRICS), completed))
                .addCallback(saver)
                .addCallback(new RunReport(dir));
        EarlyStopping es = c.earlyStopping() == null ? null : new EarlyStopping(c.earlyStopping());
        if (es != null) {
            trainer.addCallback(es);
        }
        trainer.addCallback(new ModelCheckpoint(dir.resolve(RunFolder.CHECKPOINTS), checkpointOptions(c),
                (file, m, epochs) -> Checkpoint.save(file, m, c, d, epochs)));
        DataLoader loader = new DataLoader(train, c.batchSize(), true, false, DataLoader.DEFAULT_PREFETCH,
                streams.split("shuffle")).setAugment(d.augment(c.data()), streams.split("augment"));
        DataLoader val = d.validation() == null ? null : new DataLoader(d.validation(), c.batchSize());
        Replica replica = Replica.current();
        if (replica != null) {
            shard(loader, replica, c);
            trainer.dataParallel(replica.parallel());
            replica.observers().forEach(trainer::addCallback);
        }
        if (resumeFrom != null) {
            ModelCheckpoint.resume(resumeFrom, trainer);
            saver.epoch = completed;
        }
        long t0 = System.nanoTime();
        History h;
        try {
            h = trainer.fit(loader, val, c.epochs());
        } catch (IllegalArgumentException e) {
            if (resumeFrom == null) {
                throw e;
            }
            throw new UserException(resumeFrom + ": cannot continue from this checkpoint: " + e.getMessage());
        }
        double wall = (System.nanoTime() - t0) / 1e9;

        int kept = saver.epoch;
        if (es != null && es.restoredEpoch() > 0) {
            // The model now holds the best epoch's weights: the checkpoint must hold them too.
            Checkpoint.save(ckpt, model, c, d, es.restoredEpoch());
            kept = es.restoredEpoch();
        } else if (h.diverged() && kept > 0) {
            // Report the test figures of the checkpoint that is kept, not of the half-diverged weights.
            model.loadStateDict(SafeTensors.read(ckpt).tensors(), true);
        }
        Evaluation test = null;
        if (!h.diverged() || kept > 0) {
            test = trainer.evaluate(new DataLoader(d.test(), c.batchSize()));
        }
        return new Result(model, h, test, wall, kept, es, train.size());
    }

    /**
     * The summary of the model {@link #run} trains, as it starts: built from the same stream,
     * with {@code transfer.freeze} applied, for samples of the prepared data's shape.
     */
    public static ModelSummary summary(RunConfig c, PreparedData d, Rng streams) {
        return ModelSummary.of(startingModel(c, d, streams), d.featureShape());
    }

    /** The model {@link #run} starts from (before init_from and LSUV): built from the same stream, frozen as in epoch 1. */
    public static Sequential startingModel(RunConfig c, PreparedData d, Rng streams) {
        Sequential model = c.spec().build(d.featureShape(), d.numClasses(), streams.split("model"));
        new FineTuning(c.transfer()).applyFor(model, 1);
        return model;
    }

    /** Loads {@code transfer.init_from} into {@code model}; returns the load report to print. */
    private static String initialize(Sequential model, RunConfig c) throws IOException {
        String from = c.transfer().initFrom();
        try {
            LoadReport r = FineTuning.initialize(model, Path.of(from), c.transfer().loading());
            return "init_from " + from + ": " + r.describe();
        } catch (IllegalArgumentException e) {
            throw new UserException(c.source().label() + ": transfer.init_from " + from + ": " + e.getMessage());
        }
    }

    /** Makes {@code loader} yield this replica's part of every batch. */
    private static void shard(DataLoader loader, Replica replica, RunConfig c) {
        try {
            loader.shard(replica.parallel().rank(), replica.parallel().size());
        } catch (IllegalArgumentException e) {
            throw new UserException(c.source().label() + ": batch_size " + c.batchSize() + ": "
                    + e.getMessage().replaceFirst("^DataLoader: ", ""));
        }
    }

    /** The config's checkpoint options; {@code best} follows early stopping's metric when the config has none. */
    private static ModelCheckpoint.Options checkpointOptions(RunConfig c) {
        ModelCheckpoint.Options o = c.checkpoint();
        if (o.monitor() == null && c.earlyStopping() != null) {
            return o.monitoring(c.earlyStopping().monitor(), c.earlyStopping().mode());
        }
        return o;
    }

    /** The epochs a full checkpoint has completed. */
    private static int completedEpochs(Path checkpoint) throws IOException {
        return TrainState.readValues(checkpoint).child("trainer").getInt("epoch") - 1;
    }

    /**
     * Saves the run's model file after every completed epoch (same file, written atomically), at
     * the snapshot point, so an epoch whose last update broke the weights is never saved.
     */
    private static final class Saver implements Callback {
        private final Path file;
        private final RunConfig config;
        private final PreparedData data;
        private int epoch;

        Saver(Path file, RunConfig config, PreparedData data) {
            this.file = file;
            this.config = config;
            this.data = data;
        }

        @Override
        public void onSnapshotPoint(TrainContext ctx, boolean epochEnd) {
            if (!epochEnd) {
                return;
            }
            int completed = epoch + 1;
            try {
                Checkpoint.save(file, ctx.model(), config, data, completed);
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot write the checkpoint: " + e.getMessage(), e);
            }
            epoch = completed;
        }
    }
}
