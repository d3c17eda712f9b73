package dev.myelin.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lab batch-size}: every batch size at its square-root-rule rate, and a verdict computed from the numbers. */
class BatchSizeLabTest {
    @TempDir
    Path dir;

    @Test
    void quickModeTrainsEveryBatchSize() throws Exception {
        Path out = dir.resolve("batch-size");
        Cli.Result r = Cli.run("lab", "batch-size", "--quick", "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(BatchSizeLab.BATCHES.length, s.get("batch_sizes").size(), s.toString());
        assertTrue(s.get("batch_sizes").get("8").get("samples_per_second").asDouble() > 0, s.toString());
        assertTrue(Files.size(out.resolve("batch-size.png")) > 1000);
        // batch 512 trained at 0.05 * sqrt(512 / 128) = 0.1
        assertTrue(Files.readString(out.resolve("mlp-batch512/config.yaml")).contains("lr: 0.1"),
                Files.readString(out.resolve("mlp-batch512/config.yaml")));
    }

    @Test
    void theVerdictFollowsTheNumbers() {
        BatchSizeLab.Point small = new BatchSizeLab.Point(8, 18_000, 4, 2_500, 1.2, 0.84, 0.83);
        BatchSizeLab.Point mid = new BatchSizeLab.Point(128, 60_000, 6, 240, 0.5, 0.83, 0.83);
        BatchSizeLab.Point late = new BatchSizeLab.Point(2048, 80_000, 18, 54, 1.1, 0.80, 0.81);
        String v = BatchSizeLab.judge(List.of(small, mid, late), 0.4, 0.01);
        assertTrue(v.contains("4.4x the samples per second") && v.contains("batch 8 took 2500 steps in 4 epochs,"
                + " batch 2048 54 steps in 18 epochs: larger batches need fewer steps") && v.contains("+4.0 points")
                && v.contains("Consistent with the lecture"), v);
        assertTrue(BatchSizeLab.judge(List.of(small, mid, late), 0.4, 0.05).contains("The effect does not show"));
        BatchSizeLab.Point better = new BatchSizeLab.Point(2048, 80_000, 18, 54, 1.1, 0.87, 0.86);
        assertTrue(BatchSizeLab.judge(List.of(small, better), 0.4, 0.01).contains("The opposite of the lecture"));
        BatchSizeLab.Point never = new BatchSizeLab.Point(2048, 80_000, -1, -1, Double.NaN, Double.NaN, 0.7);
        assertTrue(BatchSizeLab.judge(List.of(small, never), 0.4, 0.01).contains("cannot compare"));
    }
}
