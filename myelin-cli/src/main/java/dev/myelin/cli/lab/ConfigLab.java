package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.run.ModelTraining;
import dev.myelin.cli.run.PreparedData;
import dev.myelin.cli.report.ReportPage;
import dev.myelin.cli.report.RunRecord;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.cli.run.RunSummary;
import dev.myelin.cli.run.UserException;
import dev.myelin.tensor.Rng;
import dev.myelin.train.Callback;
import dev.myelin.train.EpochMetrics;
import dev.myelin.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A lab that is data: a folder of ordinary run configs, {@code examples/lab/NAME/RUN.yaml}
 * (packed into myelin as {@code lab/NAME/RUN.yaml}), each trained exactly as {@code myelin train}
 * trains it ({@link ModelTraining}) into {@code RUN/} of the lab's folder, then one verdict
 * function over the finished runs. {@code myelin lab NAME --set KEY=VALUE} is {@code myelin train}'s
 * {@code --set}, applied to every run, and {@code --set RUN:KEY=VALUE} applies to run {@code RUN}
 * alone; {@code --quick} applies the lab's {@link #quick} overrides first (of either form), and
 * {@code --seed N} sets {@code seed}.
 *
 * <p>The lab folder gets a long-form {@code metrics.csv} (one row per run and epoch, through
 * {@link Table}) and, per run in {@code summary.json}'s {@code runs}, the final training loss,
 * the last epoch's validation figures, the test figures, the epochs run and why training stopped.
 *
 * @param name        the name on the command line and the folder {@code examples/lab/NAME}
 * @param description one line for {@code --list}
 * @param runs        the run configs' names, in the order they train and are reported
 * @param quick       the {@code --set} overrides of quick mode (the seconds-long smoke test)
 * @param metrics     measurements a config cannot express, added to every run's trainer
 * @param verdict     writes the charts and the figures of its own, and says what the runs show
 * @param warmUp      the {@code --set} overrides of an unrecorded warm-up run of every config
 *                    before the recorded ones (empty: none), for a lab that compares seconds: the
 *                    JIT then compiles before the first recorded run, not during it. Not in quick mode.
 */
public record ConfigLab(String name, String description, List<String> runs, List<String> quick, List<Metric> metrics,
                        Verdict verdict, List<String> warmUp) implements Experiment {
    /** A measurement added to each run's trainer: a callback made from the trainer and the run's data. */
    @FunctionalInterface
    public interface Metric {
        Callback create(Trainer trainer, PreparedData data);
    }

    /** Judges the finished runs. */
    @FunctionalInterface
    public interface Verdict {
        /**
         * @param runs  the runs, in {@link #runs()} order
         * @param table every run's epochs, already written as metrics.csv; rows the verdict adds
         *              (derived figures) are written too
         * @return a few lines: what was measured, and whether it shows the lecture's claim
         */
        String judge(LabContext ctx, List<LabRun> runs, Table table) throws Exception;
    }

    public ConfigLab {
        runs = List.copyOf(runs);
        quick = List.copyOf(quick);
        metrics = List.copyOf(metrics);
        warmUp = List.copyOf(warmUp);
    }

    /** A lab without a warm-up. */
    public ConfigLab(String name, String description, List<String> runs, List<String> quick, List<Metric> metrics,
                     Verdict verdict) {
        this(name, description, runs, quick, metrics, verdict, List.of());
    }

    /** This lab with an unrecorded warm-up run of each config, changed by {@code sets}. */
    public ConfigLab withWarmUp(List<String> sets) {
        return new ConfigLab(name, description, runs, quick, metrics, verdict, sets);
    }

    /**
     * The settings of the labs that were Java programs, and the config keys that replaced them; a
     * {@code --set} of an old name is refused with the new key.
     */
    private static final Map<String, String> RENAMED = Map.of(
            "train", "data.train_limit (the training images, the held-out validation share included)",
            "test", "data.test_limit",
            "validation", "data.validation (the held-out fraction of the training images)",
            "weight_std", "init.name=normal with init.std=S (the biases keep PyTorch's initialization)",
            "hidden", "of the hidden layer in each run, e.g. RUN:model[1].linear.out=1024 (see the lab's configs)");

    /** The class-path resource of run {@code run}. */
    public String resource(String run) {
        return "lab/" + name + "/" + run + ".yaml";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        List<String> sets = new ArrayList<>(List.of("seed=" + ctx.seed()));
        if (ctx.quick()) {
            sets.addAll(quick);
        }
        ctx.overrides().forEach(this::refuseRenamed);
        sets.addAll(ctx.overrides());
        sets.forEach(this::checkRunPrefix);
        // Every config is read first, so that a wrong --set fails before hours of training.
        List<RunConfig> configs = runs.stream()
                .map(r -> ConfigLoader.loadResource(resource(r), r, setsOf(r, sets), ctx.dataDir())).toList();
        if (!warmUp.isEmpty() && !ctx.quick()) {
            warmUp(ctx, sets);
        }
        Table table = new Table();
        List<LabRun> done = new ArrayList<>();
        ObjectNode summary = ctx.summary().putObject("runs");
        List<RunRecord> reported = new ArrayList<>();
        for (RunConfig c : configs) {
            LabRun r = train(ctx, c, metrics);
            done.add(r);
            table.add(r.name(), r.history());
            ObjectNode figures = summarize(summary.putObject(r.name()), r);
            RunSummary.write(ctx.file(r.name()), figures.deepCopy().put("name", r.name()).put("status", "finished"));
            reported.add(RunRecord.read(ctx.file(r.name())));
            ReportPage.write(ctx.file(ReportPage.FILE), "lab " + name + ": " + String.join(", ", runs), reported, null);
        }
        table.write(ctx.file(RunFolder.METRICS));
        String verdict = this.verdict.judge(ctx, done, table).strip();
        table.write(ctx.file(RunFolder.METRICS)); // again, with the rows the verdict derived
        return ctx.verdict(verdict);
    }

    /**
     * The assignments that apply to run {@code run}: those without a run prefix, and those of the
     * form {@code RUN:KEY=VALUE} with its name, the prefix removed.
     */
    static List<String> setsOf(String run, List<String> sets) {
        List<String> mine = new ArrayList<>();
        for (String set : sets) {
            String prefix = runPrefix(set);
            if (prefix == null) {
                mine.add(set);
            } else if (prefix.equals(run)) {
                mine.add(set.substring(prefix.length() + 1));
            }
        }
        return mine;
    }

    /** The {@code RUN} of {@code RUN:KEY=VALUE}, or null when the key has no run prefix. */
    static String runPrefix(String set) {
        int eq = set.indexOf('=');
        int colon = set.indexOf(':');
        return colon > 0 && (eq < 0 || colon < eq) ? set.substring(0, colon).strip() : null;
    }

    private void checkRunPrefix(String set) {
        String prefix = runPrefix(set);
        if (prefix != null && !runs.contains(prefix)) {
            String guess = dev.myelin.model.bind.Source.didYouMean(prefix, runs);
            throw new UserException("lab " + name + ": --set " + set + ": expected RUN:KEY=VALUE with RUN one of "
                    + String.join(", ", runs) + ", found '" + prefix + "'"
                    + (guess != null ? ". Did you mean '" + guess + "'?" : ""));
        }
    }

    private void refuseRenamed(String set) {
        String key = set.substring(0, Math.max(0, set.indexOf('='))).strip();
        if (RENAMED.containsKey(key)) {
            throw new UserException("lab " + name + ": --set " + set + ": '" + key + "' is no longer a lab setting;"
                    + " this lab's runs are configs (examples/lab/" + name + "/), so write the config key "
                    + RENAMED.get(key));
        }
    }

    /** Trains every config once with the warm-up overrides into a temporary folder, and deletes it. */
    private void warmUp(LabContext ctx, List<String> sets) throws Exception {
        ctx.log("warming up the JIT: every run once, unrecorded (%s)", String.join(", ", warmUp));
        Path tmp = Files.createTempDirectory("myelin-warm-up");
        try {
            for (String r : runs) {
                List<String> s = new ArrayList<>(setsOf(r, sets));
                s.addAll(warmUp);
                RunConfig c = ConfigLoader.loadResource(resource(r), r, s, ctx.dataDir());
                Rng root = new Rng(c.seed());
                PreparedData d = PreparedData.load(c.data(), c.source(), root, null);
                ModelTraining.run(c, d, d.train(), root, Files.createDirectories(tmp.resolve(r)),
                        new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false, List.of());
            }
        } finally {
            deleteTree(tmp);
        }
    }

    /** Deletes {@code dir} and everything below it (a lab's scratch runs). */
    static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Trains {@code c} as {@code myelin train} does into the lab folder's {@code NAME/}, with {@code metrics} added. */
    static LabRun train(LabContext ctx, RunConfig c, List<Metric> metrics) throws Exception {
        Rng root = new Rng(c.seed());
        PreparedData d = PreparedData.load(c.data(), c.source(), root, null);
        Path dir = Files.createDirectories(ctx.file(c.name()));
        Files.writeString(dir.resolve(RunFolder.CONFIG), ConfigLoader.toYaml(c));
        ctx.log("[%s] %d train / %s validation / %d test samples, %d epochs", c.name(), d.train().size(),
                d.validation() == null ? "0" : Integer.toString(d.validation().size()), d.test().size(), c.epochs());
        StepLosses steps = new StepLosses();
        List<Callback> made = new ArrayList<>();
        List<Function<Trainer, Callback>> extras = new ArrayList<>();
        extras.add(t -> steps);
        metrics.forEach(m -> extras.add(t -> {
            Callback cb = m.create(t, d);
            made.add(cb);
            return cb;
        }));
        ModelTraining.Result result = ModelTraining.run(c, d, d.train(), root, dir, ctx.out(), false, extras);
        if (result.history().stopReason() != null) {
            ctx.log("[%s] stopped: %s", c.name(), result.history().stopReason());
        }
        return new LabRun(c.name(), c, d.preprocessing(), d.train().size(), result, steps.values(), made);
    }

    /** The figures of one run in the lab's summary.json: final losses, test figures, epochs, seconds. */
    static ObjectNode summarize(ObjectNode o, LabRun r) {
        EpochMetrics last = r.last();
        LabContext.number(o, "final_train_loss", r.finalTrainLoss());
        LabContext.number(o, "final_val_loss", last == null ? Double.NaN : last.valLoss());
        LabContext.number(o, "final_val_accuracy", last == null ? Double.NaN : last.valAccuracy());
        LabContext.number(o, "test_loss", r.test() == null ? Double.NaN : r.test().loss());
        LabContext.number(o, "test_accuracy", r.testAccuracy());
        o.put("epochs", r.history().epochs().size());
        o.put("train_seconds", r.history().epochs().stream().mapToDouble(EpochMetrics::seconds).sum());
        o.put("diverged", r.history().diverged());
        o.put("stop_reason", r.history().stopReason());
        return o;
    }
}
