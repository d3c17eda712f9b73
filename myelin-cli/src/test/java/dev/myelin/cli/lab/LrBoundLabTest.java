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

/** {@code lab lr-bound}: the 2/K bound on a quadratic and on sin(x)cos(4x), and a verdict computed from the runs. */
class LrBoundLabTest {
    @TempDir
    Path dir;

    @Test
    void theQuadraticDivergesExactlyAboveTwoOverK() throws Exception {
        assertEquals(17.0, LrBoundLab.lipschitz(), 1e-3, "max |f''| of sin(x)cos(4x)");
        double[] below = LrBoundLab.quadratic(0.99 * 2 / 100, 100);
        double[] above = LrBoundLab.quadratic(1.01 * 2 / 100, 100);
        assertTrue(below[100] < below[50] && below[50] < below[0]);
        assertTrue(above[100] > above[0]);
        assertTrue(LrBoundLab.converges(0.3, 0.5 * 2 / 17, 20000), "below the bound every start converges");

        Path out = dir.resolve("lr-bound");
        Cli.Result r = Cli.run("lab", "lr-bound", "--quick", "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(1.0, s.get("sin_cos_converged_share").get("0.99").asDouble());
        assertTrue(s.get("verdict").asText().contains("The bound is exact here"), s.toString());
        assertTrue(Files.size(out.resolve("lr-bound.png")) > 1000);
    }

    @Test
    void theVerdictFollowsTheNumbers() {
        Map<Double, double[]> traces = new LinkedHashMap<>();
        traces.put(0.5, new double[] {55.5, 1, 0.1});
        traces.put(1.1, new double[] {55.5, 10, 0.5}); // falling above the bound: not the lecture's claim
        Map<Double, Double> share = Map.of(0.5, 0.9, 1.1, 0.0);
        String v = LrBoundLab.judge(traces, share, 17);
        assertTrue(v.contains("The effect does not show as the lecture states it"), v);
        assertTrue(v.contains("not all of the 41 starts") && v.contains("contradicts"), v);
    }
}
