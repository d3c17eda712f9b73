package dev.myelin.cli.search;

import dev.myelin.cli.run.UserException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Trains one trial's run folder as {@code myelin train} does: from its config into
 * {@code run} ({@code config} not null), or on from the folder to {@code budget} epochs
 * ({@code config} null: {@code train --resume run --set epochs=budget}), on {@code threads}
 * threads, appending its output to {@code log}; returns the exit code. Called from several
 * threads at once (one per trial in flight).
 */
public interface TrialLauncher extends AutoCloseable {
    int train(Path config, Path run, int budget, int threads, Path log) throws IOException, InterruptedException;

    @Override
    default void close() {
    }

    /** The arguments of {@code myelin train} for such a call. */
    static java.util.List<String> arguments(Path config, Path run, int budget, int threads) {
        java.util.List<String> args = new java.util.ArrayList<>(config == null
                ? java.util.List.of("train", "--resume", run.toString(), "--set", "epochs=" + budget)
                : java.util.List.of("train", config.toString(), "--out", run.toString()));
        args.addAll(java.util.List.of("--threads", Integer.toString(threads)));
        return args;
    }

    /** Trials on a cluster ({@code myelin search --spark}), provided by myelin-spark through {@link ServiceLoader}. */
    interface Provider {
        /** Starts the cluster's session for a search whose trials are named after {@code name}. */
        TrialLauncher open(String master, String name, PrintStream console);
    }

    /** The cluster's launcher, or an error that says how to get one. */
    static TrialLauncher cluster(String master, String name, PrintStream console) {
        return ServiceLoader.load(Provider.class).findFirst().orElseThrow(() -> new UserException(
                "--spark: the myelin-spark module is not on the class path. Build it (mvn -B -q package -DskipTests)"
                        + " and run bin/myelin, which adds it with Spark's jars (see docs/spark.md)"))
                .open(master, name, console);
    }
}
