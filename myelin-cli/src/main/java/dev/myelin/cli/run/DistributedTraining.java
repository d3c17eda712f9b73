package dev.myelin.cli.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * {@code myelin train --spark MASTER}: data-parallel training on a cluster, provided by the
 * {@code myelin-spark} module through {@link ServiceLoader} so that the command line itself
 * does not depend on Spark.
 */
public interface DistributedTraining {
    /**
     * What to train, and where.
     *
     * @param config    the config file, as the user named it
     * @param name      the run's name
     * @param yaml      the config with every override applied ({@code config.yaml} of the run)
     * @param out       the run folder the user asked for, or null for runs/NAME-TIMESTAMP
     * @param args      what each replica passes to {@code myelin train} besides the config and
     *                  the folder ({@code --threads N}, {@code --data DIR})
     * @param master    the Spark master URL; empty for the one {@code spark-submit} set
     * @param replicas  the replicas, or null for the master's task slots
     * @param syncEvery 1: synchronous SGD; K &gt; 1: local SGD, averaging every K steps
     */
    record Request(Path config, String name, String yaml, Path out, List<String> args, String master,
                   Integer replicas, int syncEvery, PrintStream console, PrintStream err) {
    }

    /** Trains and returns the exit code {@code myelin train} gives. */
    int train(Request request) throws IOException;

    /** The implementation on the class path, or an error that says how to get one. */
    static DistributedTraining find() {
        return ServiceLoader.load(DistributedTraining.class).findFirst().orElseThrow(() -> new UserException(
                "--spark: the myelin-spark module is not on the class path. Build it (mvn -B -q package -DskipTests)"
                        + " and run bin/myelin, which adds it with Spark's jars, or submit"
                        + " myelin-spark/target/myelin-spark.jar with spark-submit (see docs/spark.md)"));
    }
}
