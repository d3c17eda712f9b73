package dev.myelin.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lab search}: grid, random and successive halving run, and a verdict computed from the numbers. */
class SearchLabTest {
    @TempDir
    Path dir;

    @Test
    void quickModeRunsEveryArmOverTheSeeds() throws Exception {
        Path out = dir.resolve("search");
        Cli.Result r = Cli.run("lab", "search", "--quick", "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (String arm : List.of("grid", "random", "random-16", "random-5", "halving", "asha")) {
            assertEquals(2, s.get(arm).get("best_val_accuracy").size(), s.toString());
        }
        assertEquals(2, s.get("grid").get("distinct_learning_rates").asInt(), "a 2 x 2 grid tries 2 rates");
        assertEquals(4, s.get("random").get("distinct_learning_rates").asInt(), "4 random trials try 4");
        assertEquals(4 + 1, s.get("halving").get("epochs_per_search").asInt(), "4 x 1 epoch, then 1 more for the best");
        assertTrue(Files.size(out.resolve("search.png")) > 1000);
        assertTrue(Files.readString(out.resolve("metrics.csv")).contains("\ngrid-seed0-0000-2,"));
        assertTrue(s.get("verdict").asText().startsWith("Grid vs random, 4 and 4 trials (2 and 4 distinct"), s.toString());
    }

    private static Map<String, double[]> best(double[] grid, double[] random, double[] full, double[] halving) {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("grid", grid);
        m.put("random", random);
        m.put("random-16", full);
        m.put("halving", halving);
        return m;
    }

    @Test
    void theVerdictFollowsTheNumbers() {
        Map<String, Integer> work = Map.of("grid", 27, "random", 27, "random-16", 48, "halving", 15);
        Map<String, Integer> lr = Map.of("grid", 3, "random", 9, "random-16", 16, "halving", 9);
        Map<String, Integer> count = Map.of("grid", 9, "random", 9, "random-16", 16, "halving", 9);
        String shows = SearchLab.judge(best(new double[] {0.80, 0.81, 0.80}, new double[] {0.84, 0.83, 0.79},
                new double[] {0.85, 0.85, 0.85}, new double[] {0.848, 0.847, 0.846}), work, lr, count);
        assertTrue(shows.contains("random search found the better validation accuracy in 2 of 3 seeds"), shows);
        assertTrue(shows.contains("Consistent with Bergstra & Bengio"), shows);
        assertTrue(shows.contains("Within half a point with 31% of the epochs"), shows);

        String not = SearchLab.judge(best(new double[] {0.84, 0.84, 0.84}, new double[] {0.80, 0.85, 0.80},
                new double[] {0.85, 0.85, 0.85}, new double[] {0.80, 0.80, 0.80}), work, lr, count);
        assertTrue(not.contains("The effect does not show in this run"), not);
        assertTrue(not.contains("More than half a point behind with 31% of the epochs"), not);
        assertTrue(!not.contains("equal epochs"), "no line for an arm that did not run: " + not);

        Map<String, double[]> withFew = best(new double[] {0.84}, new double[] {0.80}, new double[] {0.85},
                new double[] {0.848});
        withFew.put("random-5", new double[] {0.83});
        withFew.put("asha", new double[] {0.80});
        Map<String, Integer> more = new LinkedHashMap<>(work);
        more.put("random-5", 15);
        more.put("asha", 16);
        String equal = SearchLab.judge(withFew, more, lr, count);
        assertTrue(equal.contains("At about equal epochs, random search of 15 epochs in full trials scored 0.8300:"
                + " halving (15 epochs) +1.80 points; asha (16 epochs) -3.00 points; the effect of stopping early does"
                + " not show"), equal);
        assertTrue(equal.contains("ASHA (16 epochs per search)"), equal);
    }
}
