package dev.myelin.cli;

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
        double bn = s.get("runs").get("bn").get("final_test_error").asDouble();
        double none = s.get("runs").get("no-bn").get("final_test_error").asDouble();
        assertTrue(none > 0.4, "without BN the 16-layer net stays near chance: " + none);
        assertTrue(bn < none - 0.2, "with BN the test error drops well below: " + bn + " vs " + none);
    }

    @Test
    void bnDiscSettingsAreCheckedBeforeRunning() {
        Cli.Result r = Cli.run("lab", "bn-disc", "--quick", "--set", "epoch=3", "--out", dir.resolve("x").toString())
                .noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("epoch=3") && r.err().contains("Did you mean 'epochs'?"), r.err());
        assertTrue(Files.notExists(dir.resolve("x")), "nothing written for a refused setting");
    }

    @Test
    void bnPlacementComparesBeforeAfterAndNone() throws IOException {
        Path data = fakeFashion(dir.resolve("fashion"), 1500, 500);
        JsonNode s = runQuick("bn-placement", "bn-placement.png", "--data", data.toString(), "--set", "train=1000",
                "--set", "epochs=2");
        JsonNode runs = s.get("runs");
        for (String run : List.of("bn-before-relu", "bn-after-relu", "no-bn")) {
            assertEquals(2, runs.get(run).get("epochs").asInt(), run);
            assertTrue(runs.get(run).get("final_test_accuracy").asDouble() > 0.5, run + " learned: " + runs);
        }
        assertEquals(1000, s.get("train_size").asInt());
        assertEquals(500, s.get("test_size").asInt());
    }

    /**
     * IDX files shaped like Fashion-MNIST (28×28 bytes, 10 classes): class k lights rows 2k..2k+4
     * under noise, so a small MLP can learn it in two epochs.
     */
    static Path fakeFashion(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        java.util.SplittableRandom r = new java.util.SplittableRandom(42);
        for (String part : List.of("train", "t10k")) {
            int n = part.equals("train") ? train : test;
            java.nio.ByteBuffer img = java.nio.ByteBuffer.allocate(16 + n * 784).putInt(0x803).putInt(n).putInt(28)
                    .putInt(28);
            java.nio.ByteBuffer lab = java.nio.ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
            for (int i = 0; i < n; i++) {
                int k = r.nextInt(10);
                lab.put((byte) k);
                for (int p = 0; p < 784; p++) {
                    int row = p / 28;
                    int v = r.nextInt(120) + (row >= 2 * k && row < 2 * k + 5 ? 120 : 0);
                    img.put((byte) v);
                }
            }
            Files.write(dir.resolve(part + "-images-idx3-ubyte"), img.array());
            Files.write(dir.resolve(part + "-labels-idx1-ubyte"), lab.array());
        }
        return dir;
    }
}
