package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing data, diverging runs and command-line mistakes: readable messages and the documented exit codes. */
class FailureTest {
    @TempDir
    Path dir;

    @Test
    void missingDataSetNamesThePathAndTheInstallHint() throws IOException {
        Path cfg = Cli.write(dir, "fm.yaml", "data: {dataset: fashion-mnist}\nmodel: [flatten, {linear: {out: 10}}]\n");
        Path nowhere = dir.resolve("no-data-here");
        Cli.Result r = Cli.run("train", cfg.toString(), "--data", nowhere.toString(), "--out", dir.resolve("run").toString())
                .noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("myelin: error: Fashion-MNIST not found"), r.err());
        assertTrue(r.err().contains(nowhere.toString()), r.err());
        assertTrue(r.err().contains("apt-get install -y dataset-fashion-mnist"), r.err());
        assertTrue(r.err().contains("--data"), r.err());
        assertFalse(Files.exists(dir.resolve("run")), "no run folder for a run that never started");
    }

    @Test
    void outOfMemoryNamesTheLaunchersVariable() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = Main.report(new OutOfMemoryError("Java heap space"), new PrintStream(buf, true), false);
        String err = buf.toString();
        assertEquals(2, code, err);
        assertTrue(err.contains("out of memory (Java heap space)") && err.contains("MYELIN_JAVA_OPTS=-Xmx16g bin/myelin")
                && err.contains(" MiB (bin/myelin gives Java half"), err); // bin/myelin reads MYELIN_JAVA_OPTS
    }

    /** A regression table y = 3a - 2b + 1 (rows 0..n-1). */
    private Path regressionConfig(double lr, int batch, int epochs) throws IOException {
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 40; i++) {
            double a = (i % 7) - 3;
            double b = (i % 5) * 0.5;
            csv.append(a).append(',').append(b).append(',').append(3 * a - 2 * b + 1).append('\n');
        }
        Cli.write(dir, "reg.csv", csv.toString());
        return Cli.write(dir, "reg.yaml", """
                data: {dataset: csv, train: reg.csv, test: reg.csv, label: y, task: regression, standardize: per-feature}
                model: [{linear: {out: 1}}]
                loss: mse
                optimizer: {name: sgd, lr: %s}
                epochs: %d
                batch_size: %d
                """.formatted(lr, epochs, batch));
    }

    @Test
    void divergingRunStopsWithExitCode3AndKeepsTheLastGoodCheckpoint() throws IOException {
        // One batch per epoch: the first step starts from finite weights, so epoch 1 completes;
        // lr 1e6 multiplies the error by about 1e6 per step, so the loss overflows a few epochs later:
        // after the last update of an epoch, which the trainer checks too, so that epoch is not kept.
        Path cfg = regressionConfig(1e6, 1000, 50);
        Path run = dir.resolve("run");
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", run.toString()).noStackTrace();
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("myelin: training stopped: the loss of the epoch's last batch became Infinity"
                + " after the last update of epoch"), r.err());
        assertTrue(r.err().contains("kept the checkpoint of the last good epoch"), r.err());

        JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertTrue(s.get("diverged").asBoolean());
        assertEquals("diverged", s.get("status").asText());
        assertTrue(s.get("stop_reason").asText().contains("became"), s.toString());
        assertTrue(Double.isFinite(s.get("test_loss").asDouble(Double.NaN)), "the kept weights are good: " + s);
        int kept = s.get("checkpoint_epoch").asInt();
        assertTrue(kept >= 1 && kept < 50, s.toString());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(kept + 1, metrics.size(), "one row per completed epoch: " + metrics);

        Cli.Result e = Cli.run("eval", run.toString()).noStackTrace();
        assertEquals(0, e.code(), e.toString());
        assertTrue(e.out().contains("(epoch " + kept + ")"), e.out());
    }

    @Test
    void divergingInTheFirstEpochLeavesNoCheckpointAndSaysSo() throws IOException {
        Path cfg = regressionConfig(1e6, 1, 3);
        Path run = dir.resolve("run");
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", run.toString()).noStackTrace();
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("no checkpoint was written"), r.err());
        assertFalse(Files.exists(run.resolve("model.safetensors")));
        JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals(0, s.get("epochs").asInt());
        assertTrue(s.get("test_loss").isNull());
    }

    @Test
    void commandLineBasics() {
        Cli.Result v = Cli.run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("myelin "), v.out());

        Cli.Result help = Cli.run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("train") && help.out().contains("eval"), help.out());

        Cli.Result none = Cli.run();
        assertEquals(2, none.code());
        assertTrue(none.err().contains("Usage: myelin"), none.err());

        Cli.Result unknown = Cli.run("train", "x.yaml", "--bogus").noStackTrace();
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("myelin: error: Unknown option: '--bogus'"), unknown.err());

        Cli.Result badSet = Cli.run("train", "x.yaml", "--set", "epochs");
        assertEquals(2, badSet.code());
    }

    @Test
    void anUnknownCommandIsRefusedWithADidYouMean() {
        Cli.Result typo = Cli.run("trian", "examples/fashion-mlp.yaml").noStackTrace();
        assertEquals(2, typo.code(), typo.toString());
        assertTrue(typo.err().startsWith("myelin: error: unknown command 'trian'; did you mean 'train'?"), typo.err());

        // picocli would print the top-level help for --help and exit 0, as if the command existed
        Cli.Result missing = Cli.run("tune", "--help").noStackTrace();
        assertEquals(2, missing.code(), missing.toString());
        assertTrue(missing.err().startsWith("myelin: error: unknown command 'tune'. The commands are train, "),
                missing.err());
        assertEquals("", missing.out());
    }

    @Test
    void debugPrintsTheStackTrace() throws IOException {
        Cli.Result r = Cli.run("train", dir.resolve("nope.yaml").toString(), "--debug");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }
}
