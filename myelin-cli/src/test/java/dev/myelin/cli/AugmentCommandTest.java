package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.data.augment.Crop;
import dev.myelin.data.augment.Erase;
import dev.myelin.data.augment.Flip;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code data.augment} in configs, training with it, and {@code myelin augment --show}. */
class AugmentCommandTest {
    @TempDir
    Path dir;

    /** An MNIST-format directory of 8x8 images: image i has a bright 3x3 square at a position that depends on i. */
    private Path images(int train, int test) throws IOException {
        Path d = Files.createDirectories(dir.resolve("data"));
        Files.write(d.resolve("train-images-idx3-ubyte"), idx(0x803, train, true));
        Files.write(d.resolve("train-labels-idx1-ubyte"), idx(0x801, train, false));
        Files.write(d.resolve("t10k-images-idx3-ubyte"), idx(0x803, test, true));
        Files.write(d.resolve("t10k-labels-idx1-ubyte"), idx(0x801, test, false));
        return d;
    }

    private static byte[] idx(int magic, int n, boolean images) {
        ByteBuffer b = ByteBuffer.allocate(images ? 16 + n * 64 : 8 + n);
        b.putInt(magic).putInt(n);
        if (!images) {
            for (int i = 0; i < n; i++) {
                b.put((byte) (i % 10));
            }
            return b.array();
        }
        b.putInt(8).putInt(8);
        for (int i = 0; i < n; i++) {
            int label = i % 10;
            for (int p = 0; p < 64; p++) {
                int y = p / 8;
                int x = p % 8;
                boolean on = y >= label % 5 && y < label % 5 + 3 && x >= label / 2 % 5 && x < label / 2 % 5 + 3;
                b.put((byte) (on ? 255 : (i * 13 + p) % 40));
            }
        }
        return b.array();
    }

    private String config(Path data, String augment) {
        return String.format(Locale.ROOT, """
                seed: 4
                data: {dataset: fashion-mnist, dir: %s, validation: 0.2}
                model:
                  - flatten
                  - highway: {activation: tanh, gate_bias: -1}
                  - linear: {out: 10}
                loss: cross_entropy
                optimizer: {name: sgd, lr: 0.05}
                epochs: 1
                batch_size: 16
                """, data).replace("validation: 0.2}", "validation: 0.2, augment: " + augment + "}");
    }

    @Test
    void augmentShowWritesAGridOfOriginalsAndVersions() throws IOException {
        Path cfg = Cli.write(dir, "aug.yaml", config(images(30, 10),
                "[{flip: {p: 0.5}}, {crop: {padding: 2}}, {rotate: {degrees: 10, p: 0.5}}, {erase: {p: 0.5}}]"));
        Path png = dir.resolve("out/grid.png");
        Cli.Result r = Cli.run("augment", cfg.toString(), "--show", "4", "--versions", "3", "--zoom", "2",
                "--out", png.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        // columns: gap + original + wider gap + 3 x (image + gap); rows: gap + 4 x (image + gap)
        assertEquals(2 + 16 + 8 + 3 * (16 + 2), img.getWidth());
        assertEquals(2 + 4 * (16 + 2), img.getHeight());
        assertTrue(r.out().contains("4 samples"), r.out());
    }

    @Test
    void augmentWithoutTransformsOrWithFlatDataIsAUserError() throws IOException {
        Path data = images(20, 10);
        Path none = Cli.write(dir, "none.yaml", config(data, "[]"));
        Cli.Result r = Cli.run("augment", none.toString()).noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("data.augment is empty"), r.err());

        Path disc = Cli.write(dir, "disc.yaml", Cli.discConfig().replace("standardize: none",
                "standardize: none\n  augment: [flip]"));
        r = Cli.run("train", disc.toString()).noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("field 'data.augment'") && r.err().contains("image data set"), r.err());
    }

    @Test
    void badTransformsNameTheField() throws IOException {
        Path data = images(20, 10);
        String[][] cases = {
            {"[{flipp: {p: 0.5}}]", "field 'data.augment[0]'", "Did you mean 'flip'?"},
            {"[{flip: {p: 1.5}}]", "field 'data.augment[0].flip.p'", "a probability in [0, 1]"},
            {"[{erase: {scale: [0.3, 0.1]}}]", "field 'data.augment[0].erase.scale'", "low <= high"},
            {"[{erase: {scale: [0.5, 1.5]}}]", "field 'data.augment[0].erase'", "fractions of the image area"},
            {"[{crop: {padding: 2, size: 3}}]", "field 'data.augment[0].crop.size'", "unknown key 'size'"},
            {"{flip: {}}", "field 'data.augment'", "a list of transforms"},
        };
        for (String[] c : cases) {
            Path cfg = Cli.write(dir, "bad.yaml", config(data, c[0]));
            Cli.Result r = Cli.run("train", cfg.toString()).noStackTrace();
            assertEquals(2, r.code(), c[0] + "\n" + r);
            assertTrue(r.err().contains(c[1]) && r.err().contains(c[2]), c[0] + "\n" + r.err());
        }
    }

    @Test
    void trainingWithAugmentationResolvesTheConfigAndLeavesTestDataAlone() throws IOException {
        // noise with std 100 wrecks training inputs; if the test loader were augmented too, eval would disagree
        Path cfg = Cli.write(dir, "train.yaml", config(images(60, 20), "[flip, {noise: {std: 100}}, {blur: {sigma: [0.5, 1]}}]"));
        Path run = dir.resolve("run");
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", run.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        String resolved = Files.readString(run.resolve("config.yaml"));
        assertTrue(resolved.contains("noise:") && resolved.contains("std: 100.0") && resolved.contains("sigma:"), resolved);
        assertEquals(List.of(new Flip(0.5)).get(0),
                ConfigLoader.load(run.resolve("config.yaml"), List.of(), null).data().augment().get(0));

        var s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        String expected = String.format(Locale.ROOT, "test accuracy %.4f, test loss %.4f",
                s.get("test_accuracy").asDouble(), s.get("test_loss").asDouble());
        Cli.Result e = Cli.run("eval", run.toString()).noStackTrace();
        assertEquals(0, e.code(), e.toString());
        assertTrue(e.out().contains(expected), "expected '" + expected + "' in\n" + e.out());
    }

    @Test
    void defaultsAreWrittenOut() throws IOException {
        Path cfg = Cli.write(dir, "d.yaml", config(images(20, 10), "[crop, erase]"));
        var c = ConfigLoader.load(cfg, List.of(), null);
        assertEquals(new Crop(4, 1.0), c.data().augment().get(0));
        assertEquals(new Erase(), c.data().augment().get(1));
        String yaml = ConfigLoader.toYaml(c);
        assertTrue(yaml.contains("padding: 4") && yaml.contains("ratio:") && yaml.contains("value: 0.0"), yaml);
        assertTrue(ConfigLoader.toYaml(ConfigLoader.load(cfg, List.of("data.augment[1].erase.value=random"), null))
                .contains("value: \"random\"") || ConfigLoader.toYaml(ConfigLoader.load(cfg,
                List.of("data.augment[1].erase.value=random"), null)).contains("value: random"));
    }
}
