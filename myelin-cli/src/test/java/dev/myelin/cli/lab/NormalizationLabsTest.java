package dev.myelin.cli.lab;

import dev.myelin.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The normalization experiments in quick mode: run folder, chart, verdict, and the lecture's claim. */
class NormalizationLabsTest {
    @TempDir
    Path dir;

    /** Runs {@code myelin lab NAME --quick} and checks what every lab must write; returns summary.json. */
    private JsonNode runQuick(String name, String png, String... extra) throws IOException {
        Path out = dir.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("lab", name, "--quick", "--out", out.toString()));
        args.addAll(List.of(extra));
        Cli.Result r = Cli.run(args.toArray(String[]::new)).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("run folder: " + out), r.out());
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertTrue(csv.size() > 3 && csv.get(0).startsWith("run,"), csv.toString());
        BufferedImage img = ImageIO.read(out.resolve(png).toFile());
        assertNotNull(img, png + " decodes as an image");
        assertTrue(img.getWidth() >= 1280, "two panels side by side");
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(name, s.get("lab").asText());
        assertTrue(s.get("quick").asBoolean());
        String verdict = s.get("verdict").asText();
        assertTrue(!verdict.isBlank() && r.out().contains(verdict.lines().findFirst().orElseThrow()), r.out());
        return s;
    }

    @Test
    void conditioningShowsThatStandardizingFixesScaleAndWhiteningFixesCorrelation() throws IOException {
        JsonNode s = runQuick("conditioning", "conditioning.png");
        JsonNode a = s.get("cases").get("a");
        JsonNode b = s.get("cases").get("b");
        for (JsonNode c : List.of(a, b)) {
            assertTrue(c.get("raw").get("condition_number").asDouble() > 1e3, c.toString());
            assertTrue(c.get("whitened").get("condition_number").asDouble() < 1.01, c.toString());
            assertTrue(c.get("whitened").get("iterations").asLong() <= 2, c.toString());
            assertTrue(c.get("raw").get("iterations").asLong() > 100 * c.get("standardized").get("iterations").asLong()
                    || c.get("raw").get("iterations").asLong() < 0, c.toString());
        }
        assertTrue(a.get("standardized").get("condition_number").asDouble() < 2, a.toString());
        assertTrue(a.get("standardized").get("iterations").asLong() <= 10, a.toString());
        assertTrue(b.get("standardized").get("condition_number").asDouble() > 50, b.toString());
        assertTrue(b.get("standardized").get("iterations").asLong() > 100, b.toString());
        assertTrue(s.get("verdict").asText().contains("claim holds"), s.get("verdict").asText());
    }

    @Test
    void bnDiscTrainsTheDeepNetOnlyWithBatchNorm() throws IOException {
        JsonNode s = runQuick("bn-disc", "bn-disc.png");
        double bn = s.get("runs").get("bn").get("test_error").asDouble();
        double none = s.get("runs").get("no-bn").get("test_error").asDouble();
        assertTrue(none > 0.4, "without BN the 16-layer net stays near chance: " + none);
        assertTrue(bn < none - 0.2, "with BN the test error drops well below: " + bn + " vs " + none);
    }

    @Test
    void bnDiscSettingsAreCheckedBeforeRunning() {
        Cli.Result r = Cli.run("lab", "bn-disc", "--quick", "--set", "epoch=3", "--out", dir.resolve("x").toString())
                .noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("epoch=3") && r.err().contains("Did you mean 'epochs'?"), r.err());
        assertTrue(Files.notExists(dir.resolve("x").resolve("no-bn")), "nothing trained for a refused setting");
    }

    @Test
    void bnPlacementComparesBeforeAfterAndNone() throws IOException {
        JsonNode s = runQuick("bn-placement", "bn-placement.png");
        JsonNode runs = s.get("runs");
        for (String run : List.of("bn-before-relu", "bn-after-relu", "no-bn")) {
            assertEquals(2, runs.get(run).get("epochs").asInt(), run);
            assertTrue(runs.get(run).get("test_accuracy").asDouble() > 0.6, run + " learned: " + runs);
        }
        String verdict = s.get("verdict").asText();
        assertTrue(verdict.contains("best test accuracy: ") && verdict.contains("quick mode"), verdict);
    }

    @Test
    void bnPlacementNamesTheConfigKeyThatReplacedAnOldSetting() {
        Cli.Result r = Cli.run("lab", "bn-placement", "--set", "train=1000", "--out", dir.resolve("x").toString())
                .noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--set train=1000") && r.err().contains("data.train_limit"), r.err());
        assertTrue(Files.notExists(dir.resolve("x").resolve("bn-before-relu")), "nothing trained");
    }
}
