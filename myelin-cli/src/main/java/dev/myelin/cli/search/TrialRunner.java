package dev.myelin.cli.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.report.RunRecord;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.cli.run.RunSummary;
import dev.myelin.cli.run.UserException;
import dev.myelin.search.Search;
import dev.myelin.search.Trial;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a search's trial as {@code myelin train} does, in a process of its own with
 * {@code threads} threads: {@code trials/NNNN.yaml} (the trial's whole config) into the run
 * folder {@code trials/NNNN/}, its output in {@code trials/NNNN.log}. A later rung, or a trial
 * a kill interrupted, continues the folder with {@code train --resume DIR --set epochs=B}. The
 * metric is the metrics.csv column of the budget's last epoch (NaN when the run diverged).
 *
 * <p>A process per trial keeps the trials apart (their heaps, their threads) and makes each one
 * exactly the {@code myelin train} of its config. The child exits when its parent does (it
 * watches its standard input), so a killed search leaves no trials running.
 */
final class TrialRunner implements Search.TrialFunction {
    /** The environment variable that makes a child process exit with its parent. */
    static final String WATCH_PARENT = "MYELIN_EXIT_WITH_PARENT";
    private final Path dir;
    private final String metric;
    private final int threads;
    private final TrialLauncher launcher;

    TrialRunner(Path dir, String metric, int threads, TrialLauncher launcher) {
        this.dir = dir;
        this.metric = metric;
        this.threads = threads;
        this.launcher = launcher;
    }

    static Path folder(Path dir, Trial t) {
        return dir.resolve("trials").resolve(t.name());
    }

    static Path config(Path dir, Trial t) {
        return dir.resolve("trials").resolve(t.name() + ".yaml");
    }

    @Override
    public double run(Trial t, int rung, int budget) throws IOException, InterruptedException {
        Path run = folder(dir, t);
        ObjectNode s = RunSummary.read(run);
        boolean done = "finished".equals(s.path("status").asText()) || "stopped_early".equals(s.path("status").asText());
        if (!(done && s.path("epochs").asInt() >= budget)) {
            // a folder with a config.yaml is a started run: a later rung, or one a kill interrupted
            boolean started = Files.isRegularFile(run.resolve(RunFolder.CONFIG));
            int code = launcher.train(started ? null : config(dir, t), run, budget, threads,
                    dir.resolve("trials").resolve(t.name() + ".log"));
            if (code == 3) {
                return Double.NaN; // diverged: the worst result
            }
            if (code != 0) {
                throw new UserException("trial " + t.name() + " (" + t.params() + ") failed with exit code " + code + ": "
                        + lastLines(dir.resolve("trials").resolve(t.name() + ".log")));
            }
        }
        return metricAt(run, budget);
    }

    /** The metric column at epoch {@code budget} of the trial's metrics.csv. */
    double metricAt(Path run, int budget) {
        RunRecord r = RunRecord.read(run);
        double[] epochs = r.column("epoch");
        double[] values = r.metrics().get(metric);
        if (values == null) {
            throw new UserException(run.resolve(RunFolder.METRICS) + ": no column " + metric + " to judge the trial by;"
                    + " the columns are " + r.metrics().keySet());
        }
        for (int i = epochs.length - 1; i >= 0; i--) {
            if (epochs[i] == budget) {
                return values[i];
            }
        }
        return values.length == 0 ? Double.NaN : values[values.length - 1]; // stopped early: its last epoch
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size())) + " (see " + log + ")";
        } catch (IOException e) {
            return "see " + log;
        }
    }

    /** Each trial in a process of its own (see the class comment): this machine's launcher. */
    static final class Processes implements TrialLauncher {
        private final int parallel;

        Processes(int parallel) {
            this.parallel = parallel;
        }

        @Override
        public int train(Path config, Path run, int budget, int threads, Path log) throws IOException,
                InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (!a.startsWith("-XX:MaxRAMPercentage") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
                    cmd.add(a);
                }
            }
            cmd.add("-XX:MaxRAMPercentage=" + Math.max(5, 50 / parallel)); // half of the machine, shared
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add("dev.myelin.cli.Main");
            cmd.addAll(TrialLauncher.arguments(config, run, budget, threads));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put(WATCH_PARENT, "1");
            pb.environment().put("CI", "true"); // plain progress lines in the log
            Process p = pb.start();
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                throw e;
            }
        }
    }
}
