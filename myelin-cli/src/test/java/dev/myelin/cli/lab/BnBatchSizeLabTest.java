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

/** {@code lab bn-batch-size}: every normalization at every batch size, and a verdict computed from the accuracies. */
class BnBatchSizeLabTest {
    @TempDir
    Path dir;

    @Test
    void quickModeTrainsEveryNormalizationAtEveryBatchSize() throws Exception {
        Path out = dir.resolve("bn-batch-size");
        Cli.Result r = Cli.run("lab", "bn-batch-size", "--quick", "--set", "data.test_limit=150",
                "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(3 * BnBatchSizeLab.BATCHES.length, s.get("runs").size(), s.toString());
        assertTrue(s.get("groupnorm").has("drop"), s.toString());
        assertTrue(Files.size(out.resolve("bn-batch-size.png")) > 1000);
        // The run at batch 2 trained at the scaled rate 0.1 * 2 / 128.
        assertTrue(Files.readString(out.resolve("bn-batch2/config.yaml")).contains("0.0015625"),
                Files.readString(out.resolve("bn-batch2/config.yaml")));
        assertTrue(r.out().contains("quick mode"), r.out());
        // --set reaches every run, after quick mode's own test_limit
        assertTrue(Files.readString(out.resolve("layernorm-batch16/config.yaml")).contains("test_limit: 150"));
    }

    @Test
    void theVerdictFollowsTheNumbers() {
        Map<String, double[]> falls = new LinkedHashMap<>();
        falls.put("bn", new double[] {0.57, 0.70, 0.80, 0.84, 0.85, 0.85});
        falls.put("layernorm", new double[] {0.82, 0.83, 0.84, 0.84, 0.84, 0.84});
        falls.put("groupnorm", new double[] {0.83, 0.83, 0.84, 0.84, 0.84, 0.84});
        String v = BnBatchSizeLab.judge(falls, 0.01);
        assertTrue(v.contains("falls by 28.0 points with batch norm and by at most 2.0 with the others (layernorm)")
                && v.contains("Consistent with the lecture") && v.contains("by more than that wobble up to batch 8."), v);
        assertTrue(BnBatchSizeLab.judge(falls, 0.30).contains("The effect does not show"), "a wobble larger than the gap");
        Map<String, double[]> flat = new LinkedHashMap<>(falls);
        flat.put("bn", new double[] {0.83, 0.84, 0.84, 0.85, 0.85, 0.85});
        assertTrue(BnBatchSizeLab.judge(flat, 0.01).contains("The effect does not show"), BnBatchSizeLab.judge(flat, 0.01));
    }
}
