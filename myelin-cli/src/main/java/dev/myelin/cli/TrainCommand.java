package dev.myelin.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.run.Checkpoint;
import dev.myelin.cli.run.ModelFactory;
import dev.myelin.cli.run.ModelTraining;
import dev.myelin.cli.run.PreparedData;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.cli.run.RunSummary;
import dev.myelin.cli.run.UserException;
import dev.myelin.tensor.Rng;
import dev.myelin.train.History;
import java.io.IOException;
import java.io.PrintStream;
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
 * good epoch's checkpoint is kept), 2 for a user error. With {@code ensemble: {members: K}}
 * ({@code --ensemble K}) it trains K bagged members instead ({@link BaggingRun}).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains the model a YAML config describes and writes a run folder:%n"
                + "config.yaml, metrics.csv, summary.json, model.safetensors%n"
                + "(an ensemble: members/<k>/metrics.csv and members/<k>/model.safetensors).",
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

    @Option(names = "--ensemble", paramLabel = "K",
            description = "Bagging: trains K models on bootstrap samples of the training split and averages their"
                    + " predicted probabilities (the same as --set ensemble.members=K).")
    private Integer ensemble;

    @Override
    public Integer call() throws IOException {
        PrintStream console = main.out();
        if (ensemble != null) {
            if (ensemble < 2) {
                throw new UserException("--ensemble " + ensemble + ": expected at least 2 members; leave it out to train"
                        + " one model");
            }
            sets.add("ensemble.members=" + ensemble);
        }
        RunConfig c = ConfigLoader.load(config, sets, data);
        common.applyThreads();
        Rng root = new Rng(c.seed());
        PreparedData d = PreparedData.load(c.data(), c.source(), root, null);
        // Built here to check the layers against the data before the run folder exists.
        long parameters = ModelFactory.build(c, d.featureShape(), d.numClasses(), root.split("model")).parameterCount();
        Path dir = RunFolder.create(out, c.name());
        Files.writeString(dir.resolve(RunFolder.CONFIG), ConfigLoader.toYaml(c));
        console.printf(Locale.ROOT, "training %s: %,d parameters%s, %d train / %s validation / %d test samples, %s%n",
                c.name(), parameters, c.ensemble() == null ? "" : " per member, " + c.ensemble().members() + " members",
                d.train().size(), d.validation() == null ? "0" : Integer.toString(d.validation().size()),
                d.test().size(), dir);
        if (c.ensemble() != null) {
            return BaggingRun.run(c, d, root, dir, main);
        }
        ModelTraining.Result r = ModelTraining.run(c, d, d.train(), root, dir, main.out(), main.isConsole());
        ObjectNode s = RunSummary.putRun(RunSummary.of(c), r, c);
        RunSummary.write(dir, RunSummary.putEnvironment(s, c, d, r.model()));
        return report(console, main.err(), dir, r);
    }

    private static int report(PrintStream out, PrintStream err, Path dir, ModelTraining.Result r) {
        if (r.test() != null) {
            out.println(RunSummary.testLine(r.test()));
        }
        out.println("run folder: " + dir);
        History h = r.history();
        if (h.diverged()) {
            err.println("myelin: training stopped: " + h.stopReason());
            err.println(r.checkpointEpoch() > 0
                    ? "myelin: kept the checkpoint of the last good epoch (" + r.checkpointEpoch() + "): "
                    + dir.resolve(Checkpoint.FILE_NAME)
                    : "myelin: no checkpoint was written: the loss diverged in epoch 1, before any epoch completed");
            return DIVERGED;
        }
        if (h.stopReason() != null) {
            out.println("stopped early: " + h.stopReason());
        } else if (r.earlyStopping() != null && r.earlyStopping().restoredEpoch() > 0) {
            out.println("early stopping: restored the weights of epoch " + r.earlyStopping().restoredEpoch()
                    + " (best " + r.earlyStopping().options().monitor() + ")");
        }
        return 0;
    }
}
