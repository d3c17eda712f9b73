package dev.myelin.cli;

import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.run.PreparedData;
import dev.myelin.cli.run.UserException;
import dev.myelin.data.Dataset;
import dev.myelin.data.augment.Augment;
import dev.myelin.tensor.Rng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code myelin augment CONFIG --show N}: draws the first N training samples, each next to the
 * versions the config's {@code data.augment} pipeline gives it in epochs 1, 2, ... of a
 * {@code myelin train} run with the same seed, and writes them as a PNG grid.
 */
@Command(name = "augment", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Shows what data.augment does: a PNG grid of training samples, each original%n"
                + "followed by its augmented versions in epochs 1, 2, ... (same seed as `myelin train`).",
        footer = {"%nExample: myelin augment examples/fashion-augment.yaml --show 8 --out augment.png"})
final class AugmentCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML config with a data.augment list.")
    private Path config;

    @Option(names = "--show", paramLabel = "N", defaultValue = "8", description = "Training samples to show (default 8).")
    private int show;

    @Option(names = "--versions", paramLabel = "K", defaultValue = "6",
            description = "Augmented versions per sample: epochs 1..K (default 6).")
    private int versions;

    @Option(names = "--zoom", paramLabel = "Z", defaultValue = "3", description = "Screen pixels per image pixel (default 3).")
    private int zoom;

    @Option(names = "--out", paramLabel = "FILE.png", description = "The PNG to write (default: <config name>-augment.png).")
    private Path out;

    @Mixin
    private ConfigOverrides overrides;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        RunConfig c = overrides.load(config);
        common.applyThreads();
        if (c.data().augment().isEmpty()) {
            throw new UserException(config + ": data.augment is empty, so there is nothing to show. Add transforms,"
                    + " e.g. `augment: [{flip: {p: 0.5}}, {crop: {padding: 4}}]` under data, or use --set");
        }
        Rng root = new Rng(c.seed());
        PreparedData d = PreparedData.load(c.data(), c.source(), root, null);
        Dataset train = d.train();
        int n = Math.min(show, train.size());
        int[] s = Augment.imageShape(train.featureShape());
        float[][][] rows = versions(d.augment(c.data()), train, n, root.split("augment"));
        Path file = out != null ? out : Path.of(c.name() + "-augment.png");
        new ImageGrid(s[0], s[1], s[2], zoom).write(rows, file);
        main.out().printf("wrote %s: %d samples x (original + %d augmented versions)%n", file, n, versions);
        return 0;
    }

    /** Row r: sample r, then what epochs 0..versions-1 make of it (the stream the training loader uses). */
    private float[][][] versions(Augment pipeline, Dataset train, int n, Rng stream) {
        int[] s = Augment.imageShape(train.featureShape());
        int size = train.featureSize();
        float[][][] rows = new float[n][versions + 1][];
        for (int r = 0; r < n; r++) {
            float[] original = new float[size];
            train.features(r, original, 0);
            rows[r][0] = original;
            for (int e = 0; e < versions; e++) {
                float[] v = original.clone();
                pipeline.applyToSample(v, 0, s, Augment.sampleRng(stream, e, r));
                rows[r][e + 1] = v;
            }
        }
        return rows;
    }

    private void checkOptions() {
        if (show < 1 || show > 1000) {
            throw new UserException("--show: expected a number of samples in 1..1000, found " + show);
        }
        if (versions < 1 || versions > 100) {
            throw new UserException("--versions: expected 1..100 augmented versions per sample, found " + versions);
        }
        if (zoom < 1 || zoom > 32) {
            throw new UserException("--zoom: expected 1..32 screen pixels per image pixel, found " + zoom);
        }
    }
}
