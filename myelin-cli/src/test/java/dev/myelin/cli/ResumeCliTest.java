package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.cli.run.RunLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code myelin train --resume}: a run killed with {@code kill -9} at random moments (in separate
 * processes, mid-epoch and during checkpoint writes) and resumed ends with the same bytes as a
 * run that never stopped; the folder lock; what a resume refuses.
 */
class ResumeCliTest {
    @TempDir
    Path dir;

    private static final String MLP = """
            seed: 5
            data: {dataset: disc, train_size: 6000, test_size: 200, validation: 0.2, standardize: none}
            model:
              - linear: {out: 64}
              - relu
              - dropout: {p: 0.3}
              - linear: {out: 2}
            optimizer: {name: adam, lr: 0.01}
            schedule: {name: step, step_size: 1, gamma: 0.7}
            epochs: 4
            batch_size: 16
            checkpoint: {every_steps: 3}
            """;

    private String cnn(Path cifar) {
        return "seed: 2\n"
                + "data:\n  dataset: cifar10\n  dir: " + cifar + "\n  validation: 0.2\n"
                + "  augment:\n    - flip: {p: 0.5}\n    - crop: {padding: 2}\n"
                + """
                model:
                  - conv2d: {out: 6, kernel: 3, padding: 1}
                  - batchnorm2d: {}
                  - relu
                  - maxpool2d: {kernel: 2}
                  - dropout: {p: 0.2}
                  - flatten
                  - linear: {out: 10}
                optimizer: {name: sgd, lr: 0.02, momentum: 0.9}
                epochs: 3
                batch_size: 8
                checkpoint: {every_steps: 2}
                """;
    }

    /** A {@code myelin train} in its own JVM, as a user runs it. */
    private static Process start(Path workDir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("process-" + System.nanoTime() + ".log").toFile()).start();
    }

    private static String status(Path run) throws IOException {
        Path s = run.resolve("summary.json");
        return Files.exists(s) ? new ObjectMapper().readTree(s.toFile()).path("status").asText() : "";
    }

    /**
     * Trains {@code config} uninterrupted in-process, then in processes killed with SIGKILL after
     * random delays and resumed until one finishes; the two model files must be the same bytes.
     */
    private void killedAndResumedMatches(Path config, long seed, int kills) throws Exception {
        Cli.Result whole = Cli.run("train", config.toString(), "--out", dir.resolve("whole").toString(), "--threads", "2");
        assertEquals(0, whole.code(), whole.toString());
        Random random = new Random(seed);
        Path run = dir.resolve("killed");
        Process p = start(dir, "train", config.toString(), "--out", run.toString(), "--threads", "2");
        for (int k = 0; ; k++) {
            if (k < kills) {
                // Wait for the first complete checkpoint (the folder itself appears before it; on a loaded
                // machine a kill then could land before any), then kill after a random delay: mid-epoch or mid-write.
                for (int w = 0; w < 1200 && p.isAlive() && !Files.exists(run.resolve("checkpoints/last")); w++) {
                    Thread.sleep(50);
                }
                Thread.sleep(random.nextInt(900));
                p.destroyForcibly(); // SIGKILL on Linux and macOS: no shutdown hook, no finally
            }
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the training process ends");
            if (status(run).equals("finished")) {
                break;
            }
            assertTrue(k <= kills, "the run finishes once it is no longer killed; status " + status(run));
            p = start(dir, "train", "--resume", run.toString(), "--threads", "2");
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("whole/model.safetensors")),
                Files.readAllBytes(run.resolve("model.safetensors")), "the resumed run's weights are bit-identical");
        assertEquals(Files.readAllLines(dir.resolve("whole/metrics.csv")).size(),
                Files.readAllLines(run.resolve("metrics.csv")).size(), "one metrics row per epoch, none twice");
        JsonNode resumed = new ObjectMapper().readTree(run.resolve("summary.json").toFile()).path("resumed_from_steps");
        assertTrue(resumed.size() >= 1 && resumed.get(resumed.size() - 1).asLong() > 0,
                "the kills stopped the run mid-way, and it resumed from a checkpoint: " + resumed);
        try (var files = Files.list(run)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no stale temporary files");
        }
    }

    @Test
    void anMlpWithDropoutAdamAndAScheduleKilledWithSigkillResumesBitForBit() throws Exception {
        killedAndResumedMatches(Cli.write(dir, "mlp.yaml", MLP), 11, 3);
    }

    @Test
    void aCnnWithAugmentationKilledWithSigkillResumesBitForBit() throws Exception {
        Path cifar = CifarFiles.write(dir.resolve("cifar"), 60, 4);
        killedAndResumedMatches(Cli.write(dir, "cnn.yaml", cnn(cifar)), 12, 2);
    }

    @Test
    void aFinishedRunTrainsOnWithMoreEpochsAsIfAskedForThemAtFirst() throws IOException {
        String small = MLP.replace("train_size: 6000", "train_size: 600");
        Path four = Cli.write(dir, "four.yaml", small);
        Path two = Cli.write(dir, "two.yaml", small.replace("epochs: 4", "epochs: 2"));
        assertEquals(0, Cli.run("train", four.toString(), "--out", dir.resolve("a").toString()).code());
        assertEquals(0, Cli.run("train", two.toString(), "--out", dir.resolve("b").toString()).code());
        Cli.Result again = Cli.run("train", "--resume", dir.resolve("b").toString());
        assertEquals(2, again.code(), again.toString());
        assertTrue(again.err().contains("has trained 2 of 2 epochs already") && again.err().contains("--set epochs=N"),
                again.err());
        Cli.Result fewer = Cli.run("train", "--resume", dir.resolve("b").toString(), "--set", "epochs=1");
        assertEquals(2, fewer.code(), fewer.toString());
        assertTrue(fewer.err().contains("has trained 2 epochs already, more than epochs: 1; to train it on, add --set"
                + " epochs=N with N > 2"), fewer.err());
        Cli.Result more = Cli.run("train", "--resume", dir.resolve("b").toString(), "--set", "epochs=4");
        assertEquals(0, more.code(), more.toString());
        assertTrue(more.out().contains("resuming two from step 60 (2 of 4 epochs done)"), more.out());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/model.safetensors")),
                Files.readAllBytes(dir.resolve("b/model.safetensors")));
        JsonNode s = new ObjectMapper().readTree(dir.resolve("b/summary.json").toFile());
        assertEquals("finished", s.path("status").asText());
        assertEquals(60, s.path("resumed_from_step").asLong());
        assertEquals(4, s.path("epochs").asInt(), "the history holds all four epochs");
        assertTrue(Files.readString(dir.resolve("b/config.yaml")).contains("epochs: 4"));
    }

    @Test
    void aLockedFolderIsRefusedNamingTheProcessThatHoldsIt() throws IOException {
        Path config = Cli.write(dir, "mlp.yaml", MLP.replace("train_size: 6000", "train_size: 300"));
        Path run = Files.createDirectories(dir.resolve("busy"));
        try (RunLock held = RunLock.acquire(run)) {
            Cli.Result r = Cli.run("train", config.toString(), "--out", run.toString()).noStackTrace();
            assertEquals(2, r.code(), r.toString());
            assertTrue(r.err().contains("another process (pid " + ProcessHandle.current().pid() + ") is training into"
                    + " this folder"), r.err());
            r = Cli.run("train", "--resume", run.toString()).noStackTrace();
            assertEquals(2, r.code(), r.toString());
        }
        assertEquals(0, Cli.run("train", config.toString(), "--out", run.toString()).code(), "free once released");
    }

    @Test
    void aResumeRefusesOtherSettingsAndFoldersThatAreNoRuns() throws IOException {
        Path config = Cli.write(dir, "mlp.yaml", MLP.replace("train_size: 6000", "train_size: 300"));
        Path run = dir.resolve("r");
        assertEquals(0, Cli.run("train", config.toString(), "--out", run.toString()).code());
        Cli.Result r = Cli.run("train", "--resume", run.toString(), "--set", "optimizer.lr=0.1").noStackTrace();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("only epochs=N may change"), r.err());
        r = Cli.run("train", config.toString(), "--resume", run.toString()).noStackTrace();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("leave out CONFIG"), r.err());
        r = Cli.run("train", "--resume", dir.resolve("nothing").toString()).noStackTrace();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("expected a run folder written by `myelin train`, found no such folder"), r.err());
        r = Cli.run("train", config.toString(), "--out", run.toString()).noStackTrace();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("myelin train --resume " + run), "an earlier run suggests --resume: " + r.err());
    }

    @Test
    void earlyStoppingKeepsTheBestEpochsFullCheckpointBesideTheLast() throws IOException {
        Path config = Cli.write(dir, "es.yaml", MLP.replace("train_size: 6000", "train_size: 400")
                + "early_stopping: {monitor: val_loss, patience: 10}\n");
        Path run = dir.resolve("es");
        assertEquals(0, Cli.run("train", config.toString(), "--out", run.toString()).code());
        JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        int bestEpoch = s.path("early_stopping").path("best_epoch").asInt();
        assertTrue(bestEpoch >= 1, s.toString());
        JsonNode best = new ObjectMapper().readTree(run.resolve("checkpoints/best/trainer.json").toFile());
        assertEquals(bestEpoch + 1, best.path("trainer.epoch").asInt(), "best/ resumes after the best epoch");
        JsonNode last = new ObjectMapper().readTree(run.resolve("checkpoints/last/trainer.json").toFile());
        assertEquals(5, last.path("trainer.epoch").asInt(), "last/ is after the fourth epoch");
    }
}
