package dev.myelin.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.report.Chart;
import dev.myelin.cli.report.ReportPage;
import dev.myelin.cli.report.RunReport;
import dev.myelin.cli.run.Checkpoint;
import dev.myelin.cli.run.ModelTraining;
import dev.myelin.cli.run.PreparedData;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.cli.run.RunLock;
import dev.myelin.cli.run.RunSummary;
import dev.myelin.cli.run.UserException;
import dev.myelin.io.SafeTensors;
import dev.myelin.kernel.Parallel;
import dev.myelin.nn.ModelSummary;
import dev.myelin.tensor.Rng;
import dev.myelin.train.History;
import dev.myelin.train.ModelCheckpoint;
import dev.myelin.train.TrainState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
                + "config.yaml, metrics.csv, summary.json, model.safetensors, checkpoints/last,%n"
                + "report.html (rewritten after every epoch) and curves.png%n"
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

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "The YAML config (see examples/).")
    private Path config;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continues a killed or stopped run from RUN_DIR/checkpoints/last, bit for bit (same"
                    + " --threads); with --set epochs=N it trains a finished run on to N epochs. Takes no CONFIG.")
    private Path resume;

    @Mixin
    private ConfigOverrides overrides;

    @Option(names = "--out", paramLabel = "DIR",
            description = "The run folder (default: runs/<config name>-<yyyyMMdd-HHmmss>).")
    private Path out;

    @Option(names = "--ensemble", paramLabel = "K",
            description = "Bagging: trains K models on bootstrap samples of the training split and averages their"
                    + " predicted probabilities (the same as --set ensemble.members=K).")
    private Integer ensemble;

    @Option(names = "--spark", paramLabel = "MASTER", arity = "0..1", fallbackValue = "",
            description = "Data-parallel training on Apache Spark: local[N], local-cluster[N,CORES,MB], spark://HOST:PORT;"
                    + " alone, the master spark-submit set. Needs the myelin-spark module (docs/spark.md).")
    private String spark;

    @Option(names = "--replicas", paramLabel = "N",
            description = "With --spark: the replicas (Spark tasks) to train on (default: the master's N).")
    private Integer replicas;

    @Option(names = "--sync-every", paramLabel = "K", defaultValue = "1",
            description = "With --spark: 1 (default) sums the gradients every step; K > 1 is local SGD, averaging the"
                    + " weights every K steps.")
    private int syncEvery;

    @Override
    public Integer call() throws IOException {
        if (spark != null) {
            return distributed();
        }
        if (replicas != null || syncEvery != 1) {
            throw new UserException((replicas != null ? "--replicas" : "--sync-every") + " needs --spark MASTER");
        }
        if (resume != null) {
            return resume(main.out());
        }
        if (config == null) {
            throw new UserException("expected a CONFIG file, e.g. `myelin train examples/fashion-mlp.yaml`, or"
                    + " --resume RUN_DIR to continue a run");
        }
        PrintStream console = main.out();
        if (ensemble != null) {
            if (ensemble < 2) {
                throw new UserException("--ensemble " + ensemble + ": expected at least 2 members; leave it out to train"
                        + " one model");
            }
            overrides.sets.add("ensemble.members=" + ensemble);
        }
        RunConfig c = overrides.load(config);
        common.applyThreads();
        Rng root = new Rng(c.seed());
        PreparedData d = PreparedData.load(c.data(), c.source(), root, null);
        // Built here to check the layers against the data before the run folder exists.
        ModelSummary summary = ModelTraining.summary(c, d, root);
        try (RunLock lock = RunFolder.create(out, c.name())) {
            Path dir = lock.folder();
            Files.writeString(dir.resolve(RunFolder.CONFIG), ConfigLoader.toYaml(c));
            // two lines, each within 80 columns but for a long folder name (the folder first, for --resume)
            console.printf(Locale.ROOT, "training %s into %s%n", c.name(), dir);
            console.printf(Locale.ROOT, "%,d parameters%s; %,d train / %,d validation / %,d test samples%n",
                    summary.parameters(), c.ensemble() == null ? "" : " per member, " + c.ensemble().members() + " members",
                    d.train().size(), d.validation() == null ? 0 : d.validation().size(), d.test().size());
            if (c.batchSize() > d.train().size()) {
                console.printf(Locale.ROOT, "note: batch_size %,d is more than the %,d training samples: each epoch is"
                        + " one step on all of them (full-batch gradient descent)%n", c.batchSize(), d.train().size());
            }
            console.print(summary.render(Math.min(c.batchSize(), d.train().size())));
            if (c.ensemble() != null) {
                return BaggingRun.run(c, d, root, dir, main);
            }
            return train(c, d, root, dir, null, RunSummary.JSON.createArrayNode(), summary);
        }
    }

    /** {@code --spark}: the run goes to the cluster; this process is the Spark driver and keeps the run folder. */
    private int distributed() throws IOException {
        if (resume != null || ensemble != null || config == null) {
            throw new UserException("--spark: " + (config == null && resume == null ? "expected a CONFIG file"
                    : "not yet with " + (resume != null ? "--resume (a Spark run recovers from its checkpoint by itself"
                    + " while it runs)" : "--ensemble")));
        }
        if (syncEvery < 1) {
            throw new UserException("--sync-every: expected K >= 1 (1 = every step), found " + syncEvery);
        }
        if (replicas != null && replicas < 1) {
            throw new UserException("--replicas: expected N >= 1, found " + replicas);
        }
        RunConfig c = overrides.load(config);
        if (c.ensemble() != null) {
            throw new UserException("--spark: not yet with an ensemble (" + c.source().label() + ")");
        }
        common.applyThreads();
        List<String> args = new java.util.ArrayList<>(List.of("--threads", String.valueOf(Parallel.threads())));
        if (overrides.data != null) {
            args.addAll(List.of("--data", overrides.data.toAbsolutePath().toString()));
        }
        return dev.myelin.cli.run.DistributedTraining.find().train(new dev.myelin.cli.run.DistributedTraining.Request(
                config, c.name(), ConfigLoader.toYaml(c), out, args, spark, replicas, syncEvery, main.out(),
                main.err()));
    }

    /** Trains one model into {@code dir} (from {@code resumeFrom} when not null) and writes the summary. */
    private int train(RunConfig c, PreparedData d, Rng root, Path dir, Path resumeFrom, ArrayNode resumedFrom,
                      ModelSummary model) throws IOException {
        ObjectNode running = RunSummary.of(c).put("status", "running").put("seed", c.seed())
                .put("threads", Parallel.threads()).put("pid", ProcessHandle.current().pid());
        running.set("resumed_from_steps", resumedFrom);
        RunSummary.putModel(running, model);
        RunSummary.write(dir, running);
        // Ctrl-C or a plain kill marks the folder; kill -9 cannot, and leaves "running" with no lock holder.
        Thread mark = new Thread(() -> {
            try {
                RunSummary.write(dir, running.put("status", "interrupted"));
            } catch (IOException ignored) {
                // the process is ending; the folder keeps "running"
            }
        }, "myelin-interrupted-mark");
        Runtime.getRuntime().addShutdownHook(mark);
        ModelTraining.Result r;
        try {
            r = ModelTraining.run(c, d, d.train(), root, dir, main.out(), main.isConsole(), List.of(), resumeFrom);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(mark);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
        ObjectNode s = RunSummary.putRun(RunSummary.of(c), r, c);
        dev.myelin.cli.run.Replica replica = dev.myelin.cli.run.Replica.current();
        if (replica != null) {
            s.put("replicas", replica.parallel().size()).put("sync_every", replica.parallel().syncEvery())
                    .put("communication_seconds", replica.parallel().communicationSeconds())
                    .put("floats_reduced", replica.parallel().floatsReduced());
        }
        s.put("status", r.history().diverged() ? "diverged" : r.history().stopReason() != null ? "stopped_early"
                : "finished");
        if (!resumedFrom.isEmpty()) {
            s.put("resumed_from_step", resumedFrom.get(resumedFrom.size() - 1).asLong());
            s.set("resumed_from_steps", resumedFrom);
        }
        RunSummary.write(dir, RunSummary.putModel(RunSummary.putEnvironment(s, c, d, r.model()), model));
        writeReport(dir, main.err());
        return report(main.out(), main.err(), dir, r);
    }

    /** {@code --resume RUN_DIR}: continues the run in its own folder from its last full checkpoint. */
    private int resume(PrintStream console) throws IOException {
        String flag = "--resume " + resume;
        if (config != null || out != null || ensemble != null) {
            throw new UserException(flag + ": continues the run in its own folder with its own config.yaml; leave out "
                    + (config != null ? "CONFIG (" + config + ")" : out != null ? "--out" : "--ensemble")
                    + ". To train with other settings, start a new run.");
        }
        Path cfg = resume.resolve(RunFolder.CONFIG);
        if (!Files.isRegularFile(cfg)) {
            throw new UserException(flag + ": expected a run folder written by `myelin train`, found "
                    + (Files.isDirectory(resume) ? "no " + RunFolder.CONFIG + " in it" : "no such folder"));
        }
        for (String set : overrides.sets) {
            if (!set.strip().startsWith("epochs=")) {
                throw new UserException(flag + ": --set " + set + ": a resumed run keeps its settings, so that it"
                        + " continues exactly; only epochs=N may change (to train a finished run on). To train with"
                        + " other settings, start a new run: myelin train " + cfg + " --set " + set);
            }
        }
        ObjectNode before = RunSummary.read(resume);
        String name = before.path("name").asText(resume.toAbsolutePath().normalize().getFileName().toString());
        RunConfig c = ConfigLoader.load(cfg, name, overrides.sets, overrides.data);
        if (c.ensemble() != null) {
            throw new UserException(flag + ": resuming an ensemble is not supported yet; each member's folder holds"
                    + " its own checkpoint, but the ensemble's test is computed at its end. Start the run again.");
        }
        if ("diverged".equals(before.path("status").asText())) {
            throw new UserException(flag + ": the run diverged (" + before.path("stop_reason").asText()
                    + "); resuming repeats the same steps bit for bit. Start a new run, e.g. with a lower"
                    + " optimizer.lr or gradient clipping (clip: {norm: 1.0})");
        }
        common.applyThreads();
        try (RunLock lock = RunLock.acquire(resume)) {
            SafeTensors.removeStaleTemporaries(resume);
            Path last = ModelCheckpoint.recover(resume.resolve(RunFolder.CHECKPOINTS));
            TrainState t = last == null ? null : TrainState.readValues(last).child("trainer"); // names a damaged file
            int done = t == null ? 0 : t.getInt("epoch") - 1;
            long step = t == null ? 0 : t.getLong("step");
            if (t != null && done >= c.epochs()) {
                String trained = done > c.epochs() ? done + " epochs already, more than epochs: " + c.epochs()
                        : done + " of " + c.epochs() + " epochs already";
                throw new UserException(flag + ": the run has trained " + trained + "; to train it on, add --set"
                        + " epochs=N with N > " + done);
            }
            int threads = before.path("threads").asInt(Parallel.threads());
            if (threads != Parallel.threads()) {
                main.err().println("myelin: warning: the run trained with " + threads + " threads and this process"
                        + " uses " + Parallel.threads() + "; the result will not be bit-identical to an uninterrupted"
                        + " run. Pass --threads " + threads + " for that.");
            }
            Files.writeString(resume.resolve(RunFolder.CONFIG), ConfigLoader.toYaml(c));
            Rng root = new Rng(c.seed());
            PreparedData d = PreparedData.load(c.data(), c.source(), root, null);
            if (t == null) {
                console.printf(Locale.ROOT, "resuming %s: it stopped before its first checkpoint, so it trains from the"
                        + " start, %s%n", c.name(), resume);
            } else {
                console.printf(Locale.ROOT, "resuming %s from step %d (%d of %d epochs done%s), %s%n", c.name(), step,
                        done, c.epochs(), t.getInt("batch") > 0 ? ", batch " + t.getInt("batch") + " of epoch "
                                + (done + 1) : "", resume);
            }
            ArrayNode resumed = before.path("resumed_from_steps") instanceof ArrayNode a ? a
                    : RunSummary.JSON.createArrayNode();
            resumed.add(step);
            return train(c, d, root, resume, last, resumed, ModelTraining.summary(c, d, root));
        }
    }

    /**
     * The run's final report.html and curves.png; a machine whose Java cannot draw (no fonts)
     * gets the page without the PNG and one warning line.
     */
    static void writeReport(Path dir, PrintStream err) throws IOException {
        RunReport.write(dir);
        Chart.warnUndrawn(err, "the run and its report.html are complete");
    }

    private static int report(PrintStream out, PrintStream err, Path dir, ModelTraining.Result r) {
        if (r.test() != null) {
            out.println(RunSummary.testLine(r.test()));
        }
        out.println("run folder: " + dir);
        out.println("report: " + dir.resolve(ReportPage.FILE) + " (curves, summary, model, config; open it in a browser)");
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
