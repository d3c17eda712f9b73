package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run folder's report.html and curves.png, and {@code myelin report} over several runs. */
class ReportCommandTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void trainTwoRuns() throws IOException {
        Path cfg = Cli.write(dir, "tiny-disc.yaml", Cli.discConfig());
        for (String lr : new String[] {"0.1", "0.01"}) {
            Cli.Result r = Cli.run("train", cfg.toString(), "--set", "optimizer.lr=" + lr, "--out",
                    dir.resolve("runs").resolve("lr-" + lr).toString()).noStackTrace();
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().contains("report: " + dir.resolve("runs").resolve("lr-" + lr).resolve("report.html")),
                    r.out());
        }
    }

    private static JsonNode data(Path html) throws IOException {
        String s = Files.readString(html);
        int b = s.indexOf("const DATA = ") + "const DATA = ".length();
        return new ObjectMapper().readTree(s.substring(b, s.indexOf(";\nconst T0", b)));
    }

    @Test
    void aRunFolderHoldsItsReportAndCurves() throws IOException {
        Path run = dir.resolve("runs").resolve("lr-0.1");
        assertTrue(Files.size(run.resolve("curves.png")) > 1000, "curves.png is drawn");
        JsonNode d = data(run.resolve("report.html"));
        assertEquals("finished", d.get("status").asText(), "the last write follows the final summary");
        assertEquals(2, d.get("runs").get(0).get("metrics").get("epoch").size());
        assertEquals(5, d.get("model").get("layers").size());
        assertEquals("Linear", d.get("model").get("layers").get(0).get("type").asText());
        JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals(114, s.get("model").get("parameters").asInt());
        assertEquals(16, s.get("model").get("layers").get(0).get("output_shape").get(0).asInt());
    }

    @Test
    void reportOverlaysTheRunsOfAFolderAndTheKeysThatDiffer() throws IOException {
        Path out = dir.resolve("cmp.html");
        Cli.Result r = Cli.run("report", dir.resolve("runs").toString(), "--color-by", "optimizer.lr", "--out",
                out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("wrote " + out + ": 2 runs, 4 epochs, "), r.out());
        JsonNode d = data(out);
        assertEquals(2, d.get("runs").size());
        assertEquals("lr-0.01", d.get("runs").get(0).get("name").asText(), "sorted by path");
        assertEquals("optimizer.lr", d.get("differing").get(0).asText());
        assertEquals("optimizer.lr", d.get("colorBy").asText());
    }

    @Test
    void badArgumentsAreClearErrors() {
        Cli.Result r = Cli.run("report", dir.resolve("runs").toString(), "--color-by", "optimizer.lrr", "--out",
                dir.resolve("x.html").toString()).noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--color-by optimizer.lrr: expected a config key of the runs")
                && r.err().contains("did you mean 'optimizer.lr'?"), r.err());

        r = Cli.run("report", dir.toString() + "/nothing").noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("nothing: no such folder"), r.err());

        r = Cli.run("report", dir.resolve("runs").resolve("lr-0.1").resolve("checkpoints").toString()).noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("expected a run folder (one with metrics.csv"), r.err());
    }
}
