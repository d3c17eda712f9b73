package dev.myelin.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.cli.Cli;
import dev.myelin.io.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lab transfer}: the runs, the frozen layers left as pretrained, and a verdict computed from the numbers. */
class TransferLabTest {
    @TempDir
    Path dir;

    @Test
    void quickModeTrainsEveryArmFromThePretrainedLayersAndJudges() throws Exception {
        Path out = dir.resolve("transfer");
        Cli.Result r = Cli.run("lab", "transfer", "--quick", "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());

        String csv = Files.readString(out.resolve("metrics.csv"));
        for (String run : new String[] {"pretrain", "scratch-seed0", "frozen-seed0", "thawed-seed1"}) {
            assertTrue(csv.contains("\n" + run + ","), run + " rows in\n" + csv);
        }
        assertTrue(Files.size(out.resolve("transfer.png")) > 1000);
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(2, s.get("frozen").get("test_accuracy").size(), s.toString());
        assertTrue(s.get("verdict").asText().contains("scratch  test accuracy"), s.toString());

        var pre = SafeTensors.read(out.resolve("pretrain/model.safetensors")).tensors();
        var frozen = SafeTensors.read(out.resolve("frozen-seed0/model.safetensors")).tensors();
        var scratch = SafeTensors.read(out.resolve("scratch-seed0/model.safetensors")).tensors();
        for (String k : new String[] {"1.weight", "1.bias", "3.weight", "3.bias"}) {
            assertTrue(java.util.Arrays.equals(pre.get(k).data(), frozen.get(k).data()), k + " stays as pretrained");
        }
        assertEquals(8, pre.get("5.weight").shape()[0]);
        assertEquals(2, frozen.get("5.weight").shape()[0]);
        assertTrue(!java.util.Arrays.equals(pre.get("1.weight").data(), scratch.get("1.weight").data()));
    }

    private static TransferLab.Stats stats(double... v) {
        return TransferLab.Stats.of(v);
    }

    @Test
    void theVerdictFollowsTheNumbers() {
        Map<String, TransferLab.Stats> better = new LinkedHashMap<>();
        better.put("scratch", stats(0.970, 0.972, 0.968));
        better.put("frozen", stats(0.990, 0.991, 0.989));
        better.put("thawed", stats(0.993, 0.992, 0.994));
        String v = TransferLab.judge(better, 0.9);
        assertTrue(v.contains("Transfer beat training from scratch: thawed is 2.30 points more accurate"), v);
        assertTrue(v.contains("from 3.00% to 0.70% (4.3x fewer errors)"), v);

        Map<String, TransferLab.Stats> same = new LinkedHashMap<>();
        same.put("scratch", stats(0.97, 0.99, 0.95));
        same.put("frozen", stats(0.96, 0.98, 0.97));
        same.put("thawed", stats(0.96, 0.99, 0.95));
        assertTrue(TransferLab.judge(same, 0.9).contains("No clear difference"), TransferLab.judge(same, 0.9));

        Map<String, TransferLab.Stats> worse = new LinkedHashMap<>();
        worse.put("scratch", stats(0.99, 0.991, 0.989));
        worse.put("frozen", stats(0.90, 0.91, 0.89));
        worse.put("thawed", stats(0.92, 0.93, 0.91));
        assertTrue(TransferLab.judge(worse, 0.9).contains("Transfer did worse than training from scratch"),
                TransferLab.judge(worse, 0.9));
    }
}
