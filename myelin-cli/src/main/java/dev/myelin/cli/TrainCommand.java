package dev.myelin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.data.DataLoader;
import dev.myelin.io.SafeTensors;
import dev.myelin.kernel.KernelProvider;
import dev.myelin.kernel.Parallel;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import dev.myelin.train.Callback;
import dev.myelin.train.EpochMetrics;
import dev.myelin.train.Evaluation;
import dev.myelin.train.History;
import dev.myelin.train.ProgressBar;
import dev.myelin.train.TrainContext;
import dev.myelin.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code myelin train CONFIG}: loads the data, builds the model, trains it, and writes the run
 * folder. Exit code 0 when training finished, 3 when the loss became NaN or infinite (the last
 * good epoch's checkpoint is kept), 2 for a user error.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains the model a YAML config describes and writes a run folder:%n"
                + "config.yaml, metrics.csv, summary.json, model.safetensors.",
        footer = {"%nExit codes: 0 done, 2 user error (config, data, files), 3 the loss diverged (NaN/Inf).",
                "Example: myelin train examples/fashion-mlp.yaml --set epochs=2 --set optimizer.lr=0.01"})
final class TrainCommand implements Callable<Integer> {
    /** The exit code of a run whose loss became NaN or infinite. */
    static final int DIVERGED = 3;

    @ParentCommand
    private Main main;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML config (see examples/).")
    private Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "The data directory (overrides data.dir).")
    private Path data;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Overrides a config value: a dotted path and a YAML value, e.g. optimizer.lr=0.01,"
                    + " data.train_limit=1000, model[1].linear.out=64. Repeatable.")
    private List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "The run folder (default: runs/<config name>-<yyyyMMdd-HHmmss>).")
    private Path out;

    @Override
    public Integer call() throws IOException {
        PrintStream console = main.out();
        RunConfig c = ConfigLoader.load(config, sets, data);
        common.applyThreads();
        Rng root = new Rng(c.seed());
        PreparedData d = PreparedData.load(c.data(), root, null);
        Sequential model = ModelFactory.build(c, d.featureShape(), d.numClasses(), root.split("model"));
        Trainer trainer = new Trainer(model, ModelFactory.loss(c.loss()), c.optimizer().create(model.parameters()));

        Path dir = RunFolder.create(out, c.name());
        Files.writeString(dir.resolve(RunFolder.CONFIG), ConfigLoader.toYaml(c));
        Path ckpt = dir.resolve(Checkpoint.FILE_NAME);
        Saver saver = new Saver(ckpt, c, d);
        trainer.addCallback(main.isConsole() ? ProgressBar.console() : new ProgressBar(console, false))
                .addCallback(new MetricsCsv(dir.resolve(RunFolder.METRICS)))
                .addCallback(saver);
        console.printf(Locale.ROOT, "training %s: %,d parameters, %d train / %s validation / %d test samples, %s%n",
                c.name(), model.parameterCount(), d.train().size(),
                d.validation() == null ? "0" : Integer.toString(d.validation().size()), d.test().size(), dir);

        DataLoader train = new DataLoader(d.train(), c.batchSize(), true, false, DataLoader.DEFAULT_PREFETCH,
                root.split("shuffle")).setAugment(d.augment(c.data()), root.split("augment"));
        DataLoader val = d.validation() == null ? null : new DataLoader(d.validation(), c.batchSize());
        long t0 = System.nanoTime();
        History h = trainer.fit(train, val, c.epochs());
        double wall = (System.nanoTime() - t0) / 1e9;

        Evaluation test = null;
        if (h.diverged() && saver.epoch > 0) {
            // Report the test figures of the checkpoint that is kept, not of the half-diverged weights.
            model.loadStateDict(SafeTensors.read(ckpt).tensors(), true);
        }
        if (!h.diverged() || saver.epoch > 0) {
            test = trainer.evaluate(new DataLoader(d.test(), c.batchSize()));
        }
        writeSummary(dir, c, d, model, h, test, wall, saver.epoch);
        return report(console, main.err(), dir, h, test, saver.epoch);
    }

    private static int report(PrintStream out, PrintStream err, Path dir, History h, Evaluation test, int saved) {
        if (test != null) {
            out.println(Double.isNaN(test.accuracy())
                    ? String.format(Locale.ROOT, "test loss %.4f", test.loss())
                    : String.format(Locale.ROOT, "test accuracy %.4f, test loss %.4f", test.accuracy(), test.loss()));
        }
        out.println("run folder: " + dir);
        if (h.diverged()) {
            err.println("myelin: training stopped: " + h.stopReason());
            err.println(saved > 0
                    ? "myelin: kept the checkpoint of the last good epoch (" + saved + "): " + dir.resolve(Checkpoint.FILE_NAME)
                    : "myelin: no checkpoint was written: the loss diverged in epoch 1, before any epoch completed");
            return DIVERGED;
        }
        if (h.stopReason() != null) {
            out.println("stopped early: " + h.stopReason());
        }
        return 0;
    }

    private static void writeSummary(Path dir, RunConfig c, PreparedData d, Sequential model, History h,
                                     Evaluation test, double wall, int savedEpoch) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode s = json.createObjectNode();
        s.put("name", c.name());
        number(s, "test_accuracy", test == null ? Double.NaN : test.accuracy());
        number(s, "test_loss", test == null ? Double.NaN : test.loss());
        List<EpochMetrics> epochs = h.epochs();
        s.put("epochs", epochs.size());
        s.put("epochs_requested", c.epochs());
        s.put("best_epoch", bestEpoch(epochs));
        s.put("checkpoint_epoch", savedEpoch);
        s.put("wall_seconds", wall);
        double trainSeconds = epochs.stream().mapToDouble(EpochMetrics::seconds).sum();
        number(s, "train_samples_per_second", trainSeconds > 0 ? (double) d.train().size() * epochs.size() / trainSeconds
                : Double.NaN);
        s.put("train_samples", d.train().size());
        s.put("validation_samples", d.validation() == null ? 0 : d.validation().size());
        s.put("test_samples", d.test().size());
        s.put("parameters", model.parameterCount());
        s.put("seed", c.seed());
        s.put("threads", Parallel.threads());
        s.put("kernels", KernelProvider.get().name());
        s.put("java_version", Runtime.version().toString());
        s.put("myelin_version", Version.get());
        s.put("diverged", h.diverged());
        s.put("stop_reason", h.stopReason());
        json.writeValue(dir.resolve(RunFolder.SUMMARY).toFile(), s);
    }

    /** NaN (regression accuracy, no test figures) is written as null: JSON has no NaN. */
    private static void number(ObjectNode s, String key, double v) {
        if (Double.isFinite(v)) {
            s.put(key, v);
        } else {
            s.putNull(key);
        }
    }

    /** The epoch with the lowest validation loss when there is validation, else the last epoch (0 if none). */
    static int bestEpoch(List<EpochMetrics> epochs) {
        int best = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch();
        double bestLoss = Double.POSITIVE_INFINITY;
        for (EpochMetrics m : epochs) {
            if (!Double.isNaN(m.valLoss()) && m.valLoss() < bestLoss) {
                bestLoss = m.valLoss();
                best = m.epoch();
            }
        }
        return best;
    }

    /** Saves the checkpoint after every completed epoch (same file, written atomically). */
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
        public void onEpochEnd(TrainContext ctx, EpochMetrics m) {
            try {
                Checkpoint.save(file, ctx.model(), config, data.standardizer(), data.classNames(), m.epoch());
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot write the checkpoint: " + e.getMessage(), e);
            }
            epoch = m.epoch();
        }
    }
}
