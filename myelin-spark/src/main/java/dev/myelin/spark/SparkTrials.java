package dev.myelin.spark;

import dev.myelin.cli.Main;
import dev.myelin.cli.run.RemoteData;
import dev.myelin.cli.search.TrialLauncher;
import dev.myelin.io.AtomicFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * {@code myelin search --spark MASTER}: each trial (and each later rung of it) is one Spark task
 * that runs the ordinary {@code myelin train} in-process on an executor, in a scratch folder; the
 * task takes the trial's config, or its run folder when it continues, and brings the folder and
 * the output back, which the driver writes into {@code trials/NNNN/} (whole, atomically) and
 * {@code trials/NNNN.log}. The search itself (which trials, which go on, the journal) stays on the
 * driver, so a trial's result depends only on its config and thread count: the same
 * {@code results.csv} as a local search, whatever the executors.
 */
final class SparkTrials implements TrialLauncher {
    private final JavaSparkContext sc;

    SparkTrials(String master, String name, PrintStream console) {
        this.sc = new JavaSparkContext(SparkTraining.conf(master, name));
        sc.setLogLevel("WARN");
        console.println("spark: trials as tasks on " + sc.getConf().get("spark.master"));
    }

    /** Found by {@link TrialLauncher#cluster} through the service file. */
    public static final class Provider implements TrialLauncher.Provider {
        @Override
        public TrialLauncher open(String master, String name, PrintStream console) {
            return new SparkTrials(master, name, console);
        }
    }

    @Override
    public int train(Path config, Path run, int budget, int threads, Path log) throws IOException {
        Trial task = new Trial(config == null ? null : config.getFileName().toString(),
                config == null ? null : Files.readString(config), config == null ? files(run) : null, budget, threads);
        Output o = sc.parallelize(List.of(0), 1).map(task).collect().get(0);
        Path tmp = AtomicFolder.begin(run);
        for (Map.Entry<String, byte[]> f : o.files().entrySet()) {
            Path p = tmp.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        AtomicFolder.commit(run, null);
        Files.writeString(log, o.log().replace(o.scratch(), run.toString()), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return o.code();
    }

    @Override
    public void close() {
        sc.close();
    }

    /** A run folder's files by relative path, without the lock and temporaries. */
    static LinkedHashMap<String, byte[]> files(Path root) throws IOException {
        LinkedHashMap<String, byte[]> out = new LinkedHashMap<>();
        for (List<Path> unit : RunSink.units(root).values()) {
            for (Path f : unit) {
                out.put(root.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }

    /** What a task returns: the exit code, the output, and the run folder. */
    record Output(int code, String log, String scratch, LinkedHashMap<String, byte[]> files) implements Serializable {
    }

    /** One trial's {@code myelin train} on an executor. */
    record Trial(String configName, String configText, LinkedHashMap<String, byte[]> folder, int budget, int threads)
            implements Function<Integer, Output> {
        @Override
        public Output call(Integer ignored) throws IOException {
            Path scratch = Files.createTempDirectory("myelin-trial-");
            try {
                Path run = scratch.resolve("run");
                Path config = null;
                if (configText != null) {
                    config = scratch.resolve(configName);
                    Files.writeString(config, configText);
                } else {
                    for (Map.Entry<String, byte[]> f : folder.entrySet()) {
                        Path p = run.resolve(f.getKey());
                        Files.createDirectories(p.getParent());
                        Files.write(p, f.getValue());
                    }
                }
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                int code;
                try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
                    String[] args = TrialLauncher.arguments(config, run, budget, threads).toArray(String[]::new);
                    code = RemoteData.run(new HadoopCopy(scratch), () -> Main.run(out, out, args));
                }
                return new Output(code, buffer.toString(StandardCharsets.UTF_8), run.toString(),
                        Files.isDirectory(run) ? files(run) : new LinkedHashMap<>());
            } catch (Exception e) {
                throw new UncheckedIOException("trial " + configName + ": " + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
            } finally {
                AtomicFolder.deleteTree(scratch);
            }
        }
    }
}
