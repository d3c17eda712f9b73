package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.io.SafeTensors;
import dev.myelin.train.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code myelin train} end to end on a tiny data set, then {@code myelin eval} on its checkpoint. */
class TrainEvalTest {
    private static final List<String> SUMMARY_KEYS = List.of("test_accuracy", "test_loss", "epochs", "best_epoch",
            "wall_seconds", "train_samples_per_second", "parameters", "seed", "threads", "kernels", "java_version",
            "myelin_version", "stop_reason");

    @TempDir
    Path dir;

    @Test
    void trainWritesTheRunFolderAndEvalReproducesTheTestFigures() throws IOException {
        Path cfg = Cli.write(dir, "tiny-disc.yaml", Cli.discConfig());
        Path run = dir.resolve("run");
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", run.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("run folder: " + run), r.out());
        assertTrue(r.out().contains("epoch 2/2"), r.out());

        // config.yaml: resolved, defaults filled in, and loadable as a config again.
        String resolved = Files.readString(run.resolve("config.yaml"));
        assertTrue(resolved.contains("track_running_stats: true") && resolved.contains("dampening: 0.0"), resolved);
        assertEquals(2, ConfigLoader.load(run.resolve("config.yaml"), List.of(), null).epochs());

        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(3, metrics.size(), metrics.toString());
        assertEquals(EpochMetrics.csvHeader(), metrics.get(0));
        assertTrue(metrics.get(1).startsWith("1,"), metrics.get(1));
        assertTrue(metrics.get(2).startsWith("2,"), metrics.get(2));
        assertEquals(9, metrics.get(2).split(",", -1).length);
        assertFalse(metrics.get(2).split(",", -1)[5].isEmpty(), "val_loss filled: " + metrics.get(2));

        JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        for (String k : SUMMARY_KEYS) {
            assertTrue(s.has(k), "summary.json lacks " + k + ": " + s);
        }
        assertEquals(2, s.get("epochs").asInt());
        assertEquals(3, s.get("seed").asInt());
        assertTrue(s.get("stop_reason").isNull());
        int best = s.get("best_epoch").asInt();
        assertTrue(best == 1 || best == 2, "best_epoch " + best);
        assertEquals(16 * 2 + 16 + 16 * 2 + 2 * 16 + 2, s.get("parameters").asInt());
        double acc = s.get("test_accuracy").asDouble();
        double loss = s.get("test_loss").asDouble();
        assertTrue(acc > 0 && acc <= 1, "accuracy " + acc);

        SafeTensors.Contents ck = SafeTensors.read(run.resolve("model.safetensors"));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked", "4.weight", "4.bias"), List.copyOf(ck.tensors().keySet()));
        assertEquals("2", ck.metadata().get("myelin.epoch"));
        assertTrue(ck.metadata().get("myelin.config").contains("\"dataset\":\"disc\""));
        assertEquals("{\"steps\":[]}", ck.metadata().get("myelin.preprocess"));

        String expected = String.format(Locale.ROOT, "test accuracy %.4f, test loss %.4f", acc, loss);
        for (Path target : List.of(run, run.resolve("model.safetensors"))) {
            Cli.Result e = Cli.run("eval", target.toString()).noStackTrace();
            assertEquals(0, e.code(), e.toString());
            assertTrue(e.out().contains(expected), "expected '" + expected + "' in\n" + e.out());
        }
    }

    @Test
    void csvRunSavesThePerFeatureStandardizationAndEvalUsesIt() throws IOException {
        StringBuilder train = new StringBuilder("a,b,kind\n");
        StringBuilder test = new StringBuilder("a,b,kind\n");
        for (int i = 0; i < 40; i++) {
            double a = (i * 37 % 40) / 4.0;
            double b = 100 + (i * 13 % 40);
            String kind = a + (b - 100) / 4 > 7.5 ? "big" : "small";
            (i % 4 == 0 ? test : train).append(a).append(',').append(b).append(',').append(kind).append('\n');
        }
        Cli.write(dir, "t.csv", train.toString());
        Cli.write(dir, "s.csv", test.toString());
        Path cfg = Cli.write(dir, "tab.yaml", """
                data: {dataset: csv, train: t.csv, test: s.csv, label: kind, standardize: per-feature}
                model: [{linear: {out: 8}}, tanh, {linear: {out: 2}}]
                optimizer: {name: adam, lr: 0.05}
                epochs: 2
                batch_size: 8
                """);
        Path run = dir.resolve("csvrun");
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", run.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        SafeTensors.Contents ck = SafeTensors.read(run.resolve("model.safetensors"));
        JsonNode pre = new ObjectMapper().readTree(ck.metadata().get("myelin.preprocess")).get("steps").get(0);
        assertEquals("standardize", pre.get("type").asText());
        assertEquals("per-feature", pre.get("mode").asText());
        assertEquals(2, pre.get("mean").size());
        assertTrue(pre.get("mean").get(1).asDouble() > 100, pre.toString());
        assertEquals("[\"big\",\"small\"]", ck.metadata().get("myelin.classes"));

        JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        String expected = String.format(Locale.ROOT, "test accuracy %.4f, test loss %.4f",
                s.get("test_accuracy").asDouble(), s.get("test_loss").asDouble());
        Cli.Result e = Cli.run("eval", run.toString()).noStackTrace();
        assertEquals(0, e.code(), e.toString());
        assertTrue(e.out().contains(expected), expected + " in\n" + e.out());

        // The folder now holds a run: training into it again is refused.
        Cli.Result again = Cli.run("train", cfg.toString(), "--out", run.toString()).noStackTrace();
        assertEquals(2, again.code());
        assertTrue(again.err().contains("earlier run"), again.err());
    }

    @Test
    void evalOfSomethingElseIsAUserError() throws IOException {
        Cli.Result missing = Cli.run("eval", dir.resolve("none.safetensors").toString()).noStackTrace();
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("none.safetensors: no such file"), missing.err());

        Path junk = Cli.write(dir, "junk.safetensors", "not a checkpoint");
        Cli.Result bad = Cli.run("eval", junk.toString()).noStackTrace();
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().startsWith("myelin: error: " + junk), bad.err());
    }
}
