package dev.myelin.cli.lab;

import dev.myelin.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code myelin lab early-stopping --quick} and {@code lab mc-dropout --quick} on Fashion-MNIST (seconds each). */
class EarlyStoppingLabTest {
    @TempDir
    Path dir;

    @Test
    void earlyStoppingLabRestoresTheBestValidationLoss() throws IOException {
        Path out = dir.resolve("es");
        Cli.Result r = Cli.run("lab", "early-stopping", "--quick", "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        for (String f : List.of("metrics.csv", "summary.json", "early-stopping.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(s.get("best_val_loss").asDouble(), s.get("restored_val_loss").asDouble(), 1e-6);
        assertEquals(s.get("best_epoch").asInt(), s.get("restored_epoch").asInt());
        assertTrue(s.get("verdict").asText().contains("restored model: validation loss"), s.toString());
        List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(s.get("epochs_run").asInt() + 1, rows.size());
    }

    @Test
    void mcDropoutLabMeasuresEveryInputKind() throws IOException {
        Path out = dir.resolve("mc");
        Cli.Result r = Cli.run("lab", "mc-dropout", "--quick", "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.size(out.resolve("mc-dropout.png")) > 0);
        JsonNode inputs = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("inputs");
        for (String kind : List.of("test images", "uniform noise", "inverted images")) {
            JsonNode k = inputs.get(kind);
            assertTrue(k.get("mean_spread").asDouble() > 0, kind + ": " + k);
            double h = k.get("mean_entropy").asDouble();
            assertTrue(h > 0 && h <= Math.log(10) + 1e-9, kind + ": " + k);
        }
        assertTrue(r.out().contains("uniform noise vs test images: spread x"), r.out());
    }
}
