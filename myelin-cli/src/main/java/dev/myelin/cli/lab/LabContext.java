package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.tensor.Rng;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What an {@link Experiment} gets: its run folder, the console, the seed, the quick switch,
 * the data directory, and the summary it fills. {@code myelin lab} writes {@code summary.json}
 * from {@link #summary()} after the experiment returns (with name, seed, quick, wall time and
 * the verdict added).
 */
public final class LabContext {
    private final Path dir;
    private final PrintStream out;
    private final long seed;
    private final boolean quick;
    private final Path dataDir;
    private final java.util.List<String> overrides;
    private final ObjectNode summary = JsonNodeFactory.instance.objectNode();

    /**
     * @param dataDir the Fashion-MNIST directory, or null for the default
     *                ($MYELIN_DATA, else /usr/share/datasets/fashion-mnist)
     */
    public LabContext(Path dir, PrintStream out, long seed, boolean quick, Path dataDir) {
        this(dir, out, seed, quick, dataDir, java.util.List.of());
    }

    /** @param overrides the {@code --set KEY=VALUE} assignments a {@link ConfigLab} applies to each run config */
    public LabContext(Path dir, PrintStream out, long seed, boolean quick, Path dataDir, java.util.List<String> overrides) {
        this.overrides = java.util.List.copyOf(overrides);
        this.dir = dir;
        this.out = out;
        this.seed = seed;
        this.quick = quick;
        this.dataDir = dataDir;
    }

    /** The run folder: write metrics.csv and charts here. */
    public Path dir() {
        return dir;
    }

    /** A file in the run folder. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    public PrintStream out() {
        return out;
    }

    /** The seed of every random stream of the experiment (use {@link #rng()} and split it). */
    public long seed() {
        return seed;
    }

    /** A fresh root stream for {@link #seed()}; split it by name for each use. */
    public Rng rng() {
        return new Rng(seed);
    }

    /** True for the seconds-long version the tests run (tiny data, one or two epochs). */
    public boolean quick() {
        return quick;
    }

    /** The Fashion-MNIST directory the user gave, or null for the default. */
    public Path dataDir() {
        return dataDir;
    }

    /** The {@code --set} config overrides of a {@link ConfigLab}, in order. */
    public java.util.List<String> overrides() {
        return overrides;
    }

    /** The experiment's figures, written to summary.json. */
    public ObjectNode summary() {
        return summary;
    }

    /** Puts {@code v} under {@code key}, or null when it is NaN or infinite (JSON has neither). */
    public static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /** A lab's verdict as it is printed: in quick mode with the warning that its figures are no evidence. */
    public String verdict(String verdict) {
        return quick ? verdict + "\n(quick mode: a smoke test on a few hundred samples; these figures are not"
                + " evidence for or against the lecture - run without --quick for that.)" : verdict;
    }

    /** Prints one progress line. */
    public void log(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
