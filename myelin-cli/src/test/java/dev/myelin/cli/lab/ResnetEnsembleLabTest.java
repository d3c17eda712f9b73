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

/** {@code lab resnet-ensemble}: both nets trained and probed, and a verdict computed from the accuracies. */
class ResnetEnsembleLabTest {
    @TempDir
    Path dir;

    @Test
    void quickModeDeletesEveryUnitOfBothNets() throws Exception {
        Path out = dir.resolve("re");
        Cli.Result r = Cli.run("lab", "resnet-ensemble", "--quick", "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertTrue(s.get("residual").has("mean_accuracy_one_deleted") && s.get("plain").has("test_accuracy"),
                s.toString());
        String csv = Files.readString(out.resolve("metrics.csv"));
        assertTrue(csv.contains("\nresidual,") && csv.contains("\nplain,"), csv);
        assertEquals(2 * (ResnetEnsembleLab.UNITS + 6), csv.strip().split("\n").length - 1, csv);
        assertTrue(Files.size(out.resolve("resnet-ensemble.png")) > 1000);
    }

    @Test
    void theVerdictFollowsTheNumbers() {
        Map<String, Double> full = new LinkedHashMap<>();
        full.put("plain", 0.85);
        full.put("residual", 0.84);
        Map<String, double[]> single = new LinkedHashMap<>();
        single.put("plain", new double[] {0.1, 0.15, 0.1});
        single.put("residual", new double[] {0.80, 0.82, 0.78});
        String v = ResnetEnsembleLab.judge(full, single);
        assertTrue(v.contains("costs the plain net 73.3 points and the residual net 4.0")
                && v.contains("Consistent with the lecture"), v);
        single.put("residual", new double[] {0.5, 0.6, 0.4});
        assertTrue(ResnetEnsembleLab.judge(full, single).contains("lost more than a quarter"));
        single.put("plain", new double[] {0.8, 0.82, 0.81});
        assertTrue(ResnetEnsembleLab.judge(full, single).contains("did not break the plain net"));
    }
}
