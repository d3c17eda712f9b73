package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code myelin summary CONFIG}, and the same table at the start of {@code myelin train}. */
class SummaryCommandTest {
    @TempDir
    Path dir;

    @Test
    void summaryPrintsEachLayerWithItsShapeAndParameters() throws IOException {
        Path cfg = Cli.write(dir, "tiny-disc.yaml", Cli.discConfig());
        Cli.Result r = Cli.run("summary", cfg.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("tiny-disc: 5 layers, 2 classes\n"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("0 +Linear +\\[N, 16] +48  yes")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("1 +BatchNorm1d +\\[N, 16] +32  yes")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("4 +Linear +\\[N, 2] +34  yes")), r.out());
        assertTrue(r.out().contains("parameters: 114 (456 B), 114 trainable, 0 frozen"), r.out());
        assertTrue(r.out().contains("per batch of 32"), r.out());
    }

    @Test
    void frozenLayersShowAsFrozenAndTrainPrintsTheTable() throws IOException {
        Path cfg = Cli.write(dir, "tiny-disc.yaml", Cli.discConfig());
        Cli.Result r = Cli.run("summary", cfg.toString(), "--set", "transfer.freeze=[\"0\"]").noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("0 +Linear +\\[N, 16] +48  frozen")), r.out());
        assertTrue(r.out().contains("parameters: 114 (456 B), 66 trainable, 48 frozen"), r.out());

        Cli.Result t = Cli.run("train", cfg.toString(), "--out", dir.resolve("run").toString()).noStackTrace();
        assertEquals(0, t.code(), t.toString());
        assertTrue(t.out().lines().anyMatch(l -> l.matches("4 +Linear +\\[N, 2] +34  yes")), t.out());
    }

    @Test
    void aBatchLargerThanTheTrainingSetIsOneStepAndSaidSo() throws IOException {
        Path cfg = Cli.write(dir, "tiny-disc.yaml", Cli.discConfig());
        Cli.Result t = Cli.run("train", cfg.toString(), "--set", "batch_size=2147483647", "--out",
                dir.resolve("big").toString()).noStackTrace();
        assertEquals(0, t.code(), t.toString());
        assertTrue(t.out().contains("note: batch_size 2,147,483,647 is more than the 160 training samples: each epoch"
                + " is one step on all of them"), t.out());
        assertTrue(t.out().contains("per batch of 160"), t.out());
        assertTrue(java.nio.file.Files.readString(dir.resolve("big").resolve("metrics.csv")).contains("\n2,2,"),
                "two epochs, one step each");
    }

    @Test
    void aLayerThatDoesNotFitTheDataIsAConfigError() throws IOException {
        Path cfg = Cli.write(dir, "tiny-disc.yaml", Cli.discConfig());
        Cli.Result r = Cli.run("summary", cfg.toString(), "--set", "model[4].linear.out=3").noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("tiny-disc.yaml"), r.err());
    }
}
