package dev.myelin.cli.lab;

import dev.myelin.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab residual} and {@code lab augmentation} in quick mode: each writes metrics.csv with
 * every run's rows, summary.json with its figures and verdict, and its chart, and prints a verdict.
 */
class ResidualAugmentationLabTest {
    @TempDir
    Path dir;

    private JsonNode runLab(String name, String png, List<String> runs) throws Exception {
        Path out = dir.resolve(name);
        Cli.Result r = Cli.run("lab", name, "--quick", "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        String csv = Files.readString(out.resolve("metrics.csv"));
        for (String run : runs) {
            assertTrue(csv.contains("\n" + run + ","), run + " rows in\n" + csv);
        }
        assertTrue(Files.size(out.resolve(png)) > 1000, png);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertTrue(summary.get("verdict").asText().length() > 20, summary.toString());
        return summary;
    }

    @Test
    void residualComparesPlainAndResidualTwinsAtTwoDepths() throws Exception {
        JsonNode s = runLab("residual", "residual.png", List.of("plain-8", "resnet-8", "plain-20", "resnet-20"));
        assertTrue(s.get("plain-20_train_loss").asDouble() > 0, s.toString());
        assertTrue(s.get("verdict").asText().contains("final training loss: plain-8"), s.toString());
    }

    @Test
    void augmentationMeasuresTheTrainTestGapWithAndWithout() throws Exception {
        JsonNode s = runLab("augmentation", "augmentation.png", List.of("plain", "augmented"));
        JsonNode a = s.get("augmented");
        double train = a.get("train_accuracy").asDouble();
        double val = a.get("val_accuracy").asDouble();
        assertEquals(train - val, a.get("gap").asDouble(), 1e-9);
        assertTrue(train > 0.1 && train <= 1 && val > 0.1 && a.get("test_accuracy").asDouble() > 0.1, s.toString());
    }
}
