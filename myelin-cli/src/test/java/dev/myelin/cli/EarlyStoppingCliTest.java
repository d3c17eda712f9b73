package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config's early_stopping section: its errors, the stop message, summary.json and the restored checkpoint. */
class EarlyStoppingCliTest {
    @TempDir
    Path dir;

    private Cli.Result train(String yaml, String... extra) throws IOException {
        Path cfg = Cli.write(dir, "es.yaml", yaml);
        List<String> args = new java.util.ArrayList<>(List.of("train", cfg.toString(), "--out", dir.resolve("run").toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new)).noStackTrace();
    }

    @Test
    void missingValidationSplitSaysWhichFieldToSet() throws IOException {
        Cli.Result r = train(Cli.discConfig().replace("validation: 0.2", "validation: 0") + "early_stopping: {patience: 2}\n");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("field 'early_stopping.monitor': expected a validation split to compute val_loss"),
                r.err());
        assertTrue(r.err().contains("Set data.validation"), r.err());
    }

    @Test
    void exampleConfigIsValid() {
        var c = dev.myelin.cli.config.ConfigLoader.load(Path.of("..", "examples", "fashion-early-stopping.yaml"),
                List.of(), null);
        assertEquals(5, c.earlyStopping().patience());
        assertEquals("val_loss", c.earlyStopping().monitor());
    }

    @Test
    void misspelledMonitorIsCaught() throws IOException {
        Cli.Result r = train(Cli.discConfig() + "early_stopping: {monitor: val_los}\n");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("Did you mean 'val_loss'?"), r.err());
        Cli.Result neg = train(Cli.discConfig() + "early_stopping: {patience: -1}\n");
        assertTrue(neg.err().contains("field 'early_stopping.patience': expected an integer >= 0"), neg.err());
    }

    /**
     * A min_delta no epoch can beat: epoch 1 is the best, training stops after epoch 2, and the
     * checkpoint holds epoch 1's weights, so eval reproduces the test figures of the restored model.
     */
    @Test
    void stopsRestoresAndSavesTheBestEpoch() throws IOException {
        Cli.Result r = train(Cli.discConfig().replace("epochs: 2", "epochs: 10")
                + "early_stopping: {monitor: val_loss, patience: 1, min_delta: 100, restore_best: true}\n");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("stopped early: early stopping: val_loss did not improve by more than 100.0 for 1"
                + " epoch (patience 1); stopped after epoch 2; best val_loss"), r.out());
        assertTrue(r.out().contains("restored the weights of epoch 1"), r.out());
        Path run = dir.resolve("run");
        assertEquals(3, Files.readAllLines(run.resolve("metrics.csv")).size(), "header and 2 epochs");
        JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        JsonNode es = s.get("early_stopping");
        assertEquals(2, es.get("stopped_epoch").asInt());
        assertEquals(1, es.get("restored_epoch").asInt());
        assertEquals(1, es.get("best_epoch").asInt());
        assertEquals(1, s.get("checkpoint_epoch").asInt());
        assertEquals("1", SafeTensors.read(run.resolve("model.safetensors")).metadata().get("myelin.epoch"));
        String expected = String.format(Locale.ROOT, "test accuracy %.4f, test loss %.4f",
                s.get("test_accuracy").asDouble(), s.get("test_loss").asDouble());
        Cli.Result e = Cli.run("eval", run.toString()).noStackTrace();
        assertTrue(e.out().contains("(epoch 1)") && e.out().contains(expected), e + "\nexpected " + expected);
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("restore_best: true"));
    }
}
