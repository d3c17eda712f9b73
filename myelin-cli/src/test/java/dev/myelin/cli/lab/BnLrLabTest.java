package dev.myelin.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lab bn-lr}: both networks at every rate, and a verdict computed from the accuracies. */
class BnLrLabTest {
    @TempDir
    Path dir;

    @Test
    void quickModeTrainsBothNetworksAtEveryRate() throws Exception {
        Path out = dir.resolve("bn-lr");
        Cli.Result r = Cli.run("lab", "bn-lr", "--quick", "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(2 * BnLrLab.RATES.length, s.get("runs").size(), s.toString());
        assertTrue(s.get("bn").has("largest_rate_that_trains"));
        assertTrue(Files.size(out.resolve("bn-lr.png")) > 1000);
        assertTrue(Files.readString(out.resolve("metrics.csv")).contains("\nbn-lr10,"));
    }

    @Test
    void theVerdictFollowsTheNumbers() {
        double nan = Double.NaN;
        Map<String, double[]> much = new LinkedHashMap<>();
        much.put("plain", new double[] {0.72, 0.77, 0.78, 0.70, nan, nan, nan});
        much.put("bn", new double[] {0.82, 0.84, 0.84, 0.81, 0.80, 0.80, 0.10});
        assertEquals(0.1, BnLrLab.largestThatTrains(much.get("plain")));
        String v = BnLrLab.judge(much);
        assertTrue(v.contains("plain 0.1, with batch norm 3, 30x") && v.contains("Consistent with the lecture"), v);
        Map<String, double[]> same = new LinkedHashMap<>();
        same.put("plain", new double[] {0.72, 0.77, 0.78, 0.77, 0.75, nan, nan});
        same.put("bn", new double[] {0.82, 0.84, 0.84, 0.81, 0.50, 0.10, 0.10});
        assertTrue(BnLrLab.judge(same).contains("The effect does not show in this run"), BnLrLab.judge(same));
    }
}
