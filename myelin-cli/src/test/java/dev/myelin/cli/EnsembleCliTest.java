package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code myelin train --ensemble K}: members' folders, summary figures, and eval of the whole ensemble. */
class EnsembleCliTest {
    @TempDir
    Path dir;

    private static String testLine(JsonNode s) {
        return String.format(Locale.ROOT, "test accuracy %.4f, test loss %.4f", s.get("test_accuracy").asDouble(),
                s.get("test_loss").asDouble());
    }

    @Test
    void trainsMembersOnBootstrapSamplesAndEvaluatesTheAverage() throws IOException {
        Path cfg = Cli.write(dir, "bag.yaml", Cli.discConfig());
        Path run = dir.resolve("run");
        Cli.Result r = Cli.run("train", cfg.toString(), "--ensemble", "3", "--out", run.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("member 3/3: bootstrap sample of 160 training samples ("), r.out());
        for (int k = 0; k < 3; k++) {
            assertTrue(Files.isRegularFile(run.resolve("members/" + k + "/model.safetensors")));
            assertEquals(3, Files.readAllLines(run.resolve("members/" + k + "/metrics.csv")).size());
            assertTrue(Files.isRegularFile(run.resolve("members/" + k + "/report.html")));
        }
        String report = Files.readString(run.resolve("report.html"));
        assertTrue(report.contains("ensemble of 3 members") && report.contains("\"name\":\"2\""),
                "the run's page overlays its members");
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("members: 3"));
        JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals(3, s.get("ensemble").get("members").asInt());
        assertEquals(3, s.get("members").size());
        assertTrue(r.out().contains("ensemble of 3 members: " + testLine(s)), r.out());

        Cli.Result e = Cli.run("eval", run.toString()).noStackTrace();
        assertEquals(0, e.code(), e.toString());
        assertTrue(e.out().contains("(ensemble of 3 members)") && e.out().contains(testLine(s)), e.out());
        for (int k = 0; k < 3; k++) {
            Cli.Result m = Cli.run("eval", run.resolve("members/" + k).toString());
            assertTrue(m.out().contains(testLine(s.get("members").get(k))), "member " + k + ": " + m.out());
        }
    }

    @Test
    void fewerThanTwoMembersAndIncompleteRunsAreErrors() throws IOException {
        Path cfg = Cli.write(dir, "bag.yaml", Cli.discConfig());
        Cli.Result one = Cli.run("train", cfg.toString(), "--ensemble", "1").noStackTrace();
        assertEquals(2, one.code());
        assertTrue(one.err().contains("--ensemble 1: expected at least 2 members"), one.err());
        Cli.Result yaml = Cli.run("train", Cli.write(dir, "b1.yaml", Cli.discConfig() + "ensemble: {members: 1}\n")
                .toString(), "--out", dir.resolve("x").toString()).noStackTrace();
        assertTrue(yaml.err().contains("field 'ensemble.members': expected an integer >= 2"), yaml.err());

        Path run = dir.resolve("run2");
        assertEquals(0, Cli.run("train", cfg.toString(), "--ensemble", "2", "--out", run.toString(),
                "--set", "epochs=1").code());
        Files.walk(run.resolve("members/1")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Cli.Result e = Cli.run("eval", run.toString()).noStackTrace();
        assertEquals(2, e.code());
        assertTrue(e.err().contains("expected 2 members (ensemble.members), found 1"), e.err());
    }
}
