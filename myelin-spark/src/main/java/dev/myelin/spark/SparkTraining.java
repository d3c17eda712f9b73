package dev.myelin.spark;

import dev.myelin.cli.run.DistributedTraining;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.cli.run.RunLock;
import dev.myelin.cli.run.UserException;
import dev.myelin.io.AtomicFolder;
import dev.myelin.train.ModelCheckpoint;
import dev.myelin.train.TrainState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import scala.reflect.ClassTag$;

/**
 * {@code myelin train CONFIG --spark MASTER}: this process is the Spark driver. It keeps the run
 * folder, starts one barrier stage of N tasks ({@link ReplicaTask}), each a replica of
 * synchronous data-parallel SGD, and receives rank 0's folder and console ({@link RunSink}).
 *
 * <p>Faults: a failed task fails the barrier stage, and Spark stops the others. The driver then
 * starts the stage again, every replica resuming from the driver's {@code checkpoints/last}
 * (the state {@code myelin train --resume} continues from), up to {@link #ATTEMPTS} times, with
 * a line saying so. No replica waits forever: every socket read has a time-out
 * ({@code spark.myelin.timeout}, seconds, default 300).
 */
public final class SparkTraining implements DistributedTraining {
    /** Stage attempts before the run gives up. */
    static final int ATTEMPTS = 3;
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+)(?:,\\d+)?]");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[(\\d+),\\s*(\\d+),\\s*(\\d+)]");
    private static final String JAVA_OPTIONS = "--add-modules jdk.incubator.vector -XX:+UseParallelGC -Xss4m";

    @Override
    public int train(Request r) throws IOException {
        SparkConf conf = conf(r.master(), r.name());
        String master = conf.get("spark.master", "");
        int n = r.replicas() != null ? r.replicas() : slots(master);
        try (RunLock lock = RunFolder.create(r.out(), r.name());
             RunSink sink = new RunSink(lock.folder().toAbsolutePath(), r.console(), r.err());
             JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            Path dir = lock.folder().toAbsolutePath();
            r.console().printf(Locale.ROOT, "spark: %d replica%s on %s, %s%n", n, n == 1 ? "" : "s", master,
                    r.syncEvery() == 1 ? "gradients summed every step (synchronous SGD)"
                            : "weights averaged every " + r.syncEvery() + " steps (local SGD)");
            int timeout = conf.getInt("spark.myelin.timeout", 300);
            String killAt = conf.get("spark.myelin.test.killAt", null);
            for (int attempt = 1; ; attempt++) {
                boolean resume = attempt > 1 && restartPoint(dir, r.console(), attempt);
                ReplicaTask task = new ReplicaTask(r.name(), r.yaml(), r.args(), r.syncEvery(),
                        sc.getConf().get("spark.driver.host"), sink.port(), resume, timeout, attempt == 1 ? killAt : null);
                sink.reset();
                try {
                    List<Integer> ranks = IntStream.range(0, n).boxed().toList();
                    Object[] results = (Object[]) sc.parallelize(ranks, n).rdd().barrier()
                            .mapPartitions(task, false, ClassTag$.MODULE$.apply(ReplicaResult.class)).collect();
                    awaitEnd(sink);
                    return finish(r, Arrays.stream(results).map(ReplicaResult.class::cast).toList());
                } catch (Exception e) { // a failed stage: SparkException, checked in Scala's eyes only
                    if (e instanceof UserException || e instanceof IOException) {
                        throw e;
                    }
                    if (attempt == ATTEMPTS) {
                        throw new UserException("spark: the training stage failed " + ATTEMPTS + " times; the last"
                                + " failure: " + firstLine(e));
                    }
                    r.err().println("myelin: spark: the training stage failed (attempt " + attempt + " of " + ATTEMPTS
                            + "): " + firstLine(e));
                }
            }
        }
    }

    /** The Spark configuration: the master, Myelin's Java options on the executors, and what local-cluster needs. */
    static SparkConf conf(String master, String name) {
        SparkConf conf = new SparkConf().setAppName("myelin " + name);
        if (!master.isEmpty()) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            throw new UserException("--spark: no master given, and none set by spark-submit; e.g. --spark local[2]");
        }
        String m = conf.get("spark.master");
        String options = conf.get("spark.executor.extraJavaOptions", "");
        conf.set("spark.executor.extraJavaOptions", (options + " " + JAVA_OPTIONS).strip());
        // a barrier stage waits for all its slots; check for them every second, not every 15
        conf.setIfMissing("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s");
        if (m.startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        if (m.startsWith("local-cluster")) {
            localCluster(conf);
        }
        return conf;
    }

    /**
     * local-cluster starts executor processes from {@code $SPARK_HOME/jars}, which a Maven build
     * does not have: they get this process's class path instead, and SPARK_HOME may be any
     * folder with a {@code jars} folder in it (bin/myelin makes one).
     */
    private static void localCluster(SparkConf conf) {
        String home = System.getenv("SPARK_HOME");
        if (home == null || !Files.isDirectory(Path.of(home, "jars"))) {
            throw new UserException("--spark local-cluster: Spark starts its executors from $SPARK_HOME/jars, and "
                    + (home == null ? "SPARK_HOME is not set" : home + "/jars does not exist") + "; bin/myelin sets"
                    + " one, or set SPARK_HOME to a Spark distribution (or any folder with an empty jars/ in it)");
        }
        conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        conf.setIfMissing("spark.executorEnv.SPARK_SCALA_VERSION", "2.13");
    }

    /** The task slots a local master names; other masters need --replicas. */
    static int slots(String master) {
        Matcher local = LOCAL.matcher(master);
        if (local.matches()) {
            return Integer.parseInt(local.group(1));
        }
        Matcher cluster = LOCAL_CLUSTER.matcher(master);
        if (cluster.matches()) {
            return Integer.parseInt(cluster.group(1)) * Integer.parseInt(cluster.group(2));
        }
        if (master.equals("local")) {
            return 1;
        }
        throw new UserException("--spark " + master + ": give the number of replicas with --replicas N (one task"
                + " slot each)");
    }

    /**
     * Before a restart: whether the driver's folder holds a whole {@code checkpoints/last} to resume
     * from; without one the folder is emptied and the run starts over.
     */
    private static boolean restartPoint(Path dir, PrintStream console, int attempt) throws IOException {
        Path last = ModelCheckpoint.recover(dir.resolve(RunFolder.CHECKPOINTS));
        if (last == null) {
            try (Stream<Path> all = Files.list(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.getFileName().toString().equals(RunLock.FILE_NAME)) {
                        AtomicFolder.deleteTree(p);
                    }
                }
            }
            console.printf(Locale.ROOT, "spark: restarting all replicas from the start (no checkpoint yet),"
                    + " attempt %d of %d%n", attempt, ATTEMPTS);
            return false;
        }
        TrainState t = TrainState.readValues(last).child("trainer");
        console.printf(Locale.ROOT, "spark: restarting all replicas from %s (step %d, epoch %d batch %d),"
                + " attempt %d of %d%n", last, t.getLong("step"), t.getInt("epoch"), t.getInt("batch"), attempt,
                ATTEMPTS);
        return true;
    }

    /** Rank 0's last copy arrives on its own connection: wait for its end. */
    private static void awaitEnd(RunSink sink) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!sink.ended() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static int finish(Request r, List<ReplicaResult> results) {
        List<ReplicaResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingInt(ReplicaResult::rank));
        ReplicaResult zero = sorted.get(0);
        for (ReplicaResult x : sorted) {
            if (x.exitCode() != zero.exitCode()) {
                r.err().println("myelin: spark: replica " + x.rank() + " exited with " + x.exitCode() + ", replica 0 with "
                        + zero.exitCode() + " (the executor's log has its messages)");
            }
        }
        if (sorted.size() > 1) {
            double comm = sorted.stream().mapToDouble(ReplicaResult::communicationSeconds).max().orElse(0);
            long bytes = sorted.stream().mapToLong(ReplicaResult::bytesSent).max().orElse(0);
            r.console().printf(Locale.ROOT, "spark: %.1f s per replica, %.1f s of it in all-reduce (%.0f%%);"
                            + " %,.1f MB sent per replica, %,.0f MB/s while communicating%n", zero.seconds(), comm,
                    100 * comm / Math.max(1e-9, zero.seconds()), bytes / 1e6, bytes / 1e6 / Math.max(1e-9, comm));
        }
        return zero.exitCode();
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
