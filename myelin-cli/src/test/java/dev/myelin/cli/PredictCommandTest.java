package dev.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code myelin predict} on a tiny trained run: deterministic, Monte Carlo dropout, input files, errors. */
class PredictCommandTest {
    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void trainTinyRun() throws IOException {
        Path cfg = Cli.write(dir, "tiny.yaml", Cli.discConfig());
        run = dir.resolve("run");
        Cli.Result r = Cli.run("train", cfg.toString(), "--out", run.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void mcSamplesPrintsPerClassMeansAndSpreads() throws IOException {
        Path csv = dir.resolve("mc.csv");
        Cli.Result r = Cli.run("predict", run.toString(), "--mc-samples", "30", "--limit", "4", "--out", csv.toString())
                .noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Monte Carlo dropout, T = 30 passes"), r.out());
        List<String> lines = r.out().lines().toList();
        Pattern numbers = Pattern.compile("\\s+\\d\\.\\d{3}\\s+\\d\\.\\d{3}");
        long means = lines.stream().filter(l -> l.startsWith("  mean ") && numbers.matcher(l).find()).count();
        long spreads = lines.stream().filter(l -> l.startsWith("  spread") && numbers.matcher(l).find()).count();
        assertEquals(4, means, r.out());
        assertEquals(4, spreads, r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("  spread\\s+0\\.0*[1-9].*")), "dropout 0.1 spreads: " + r.out());
        assertTrue(r.out().contains("accuracy ") && r.out().contains("on 4 labeled samples"), r.out());

        List<String> rows = Files.readAllLines(csv);
        assertEquals("sample,label,predicted,p_0,p_1,std_0,std_1,entropy", rows.get(0));
        assertEquals(5, rows.size());
        String[] f = rows.get(1).split(",");
        assertEquals(1.0, Double.parseDouble(f[3]) + Double.parseDouble(f[4]), 1e-5, "mean probabilities sum to 1");
        // binary: both classes' probabilities move together, so their spreads are equal
        assertEquals(Double.parseDouble(f[5]), Double.parseDouble(f[6]), 1e-5);

        Cli.Result again = Cli.run("predict", run.toString(), "--mc-samples", "30", "--limit", "4");
        assertEquals(r.out().replace("wrote " + csv + "\n", ""), again.out(), "same seed, same masks");
        Cli.Result other = Cli.run("predict", run.toString(), "--mc-samples", "30", "--limit", "4", "--seed", "8");
        assertTrue(!other.out().equals(again.out()), "another seed, other masks");
    }

    @Test
    void deterministicPredictionMatchesEvalAccuracy() {
        Cli.Result p = Cli.run("predict", run.toString()).noStackTrace();
        assertEquals(0, p.code(), p.toString());
        assertTrue(p.out().contains("(20 of 100 samples shown"), p.out());
        String acc = p.out().lines().filter(l -> l.startsWith("accuracy ")).findFirst().orElseThrow().substring(9, 15);
        Cli.Result e = Cli.run("eval", run.toString());
        assertTrue(e.out().contains("test accuracy " + acc), "eval " + e.out() + " vs predict " + acc);
    }

    @Test
    void csvInputWithAndWithoutLabels() throws IOException {
        Path in = Cli.write(dir, "points.csv", "x,y\n0.1,0.2\n3.0,-2.5\n");
        Cli.Result r = Cli.run("predict", run.toString(), "--input", in.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("points.csv (2 rows), 2 samples"), r.out());
        assertTrue(r.out().contains("sample 1: predicted "), r.out());
        assertTrue(r.out().contains("2 samples; mean predictive entropy"), r.out());
        Path labeled = Cli.write(dir, "labeled.csv", "x,label,y\n0.1,0,0.2\n3.0,1,-2.5\n");
        Cli.Result l = Cli.run("predict", run.toString(), "--input", labeled.toString()).noStackTrace();
        assertTrue(l.out().contains("on 2 labeled samples"), l.out());
    }

    /** An IDX file of unsigned bytes [count, d1, d2]: pixels are scaled by 1/255 as in training. */
    private static Path idx(String name, int count, int d1, int d2) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16 + count * d1 * d2);
        b.putInt(0x00000803).putInt(count).putInt(d1).putInt(d2);
        for (int i = 0; i < count * d1 * d2; i++) {
            b.put((byte) (i * 40));
        }
        return Files.write(dir.resolve(name), b.array());
    }

    @Test
    void idxInputIsReadAndItsSizeChecked() throws IOException {
        Cli.Result r = Cli.run("predict", run.toString(), "--input", idx("ok-idx3-ubyte", 3, 1, 2).toString())
                .noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("(3 images), 3 samples") && r.out().contains("sample 2: predicted"), r.out());
        Cli.Result bad = Cli.run("predict", run.toString(), "--input", idx("big-idx3-ubyte", 2, 2, 2).toString())
                .noStackTrace();
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("expected images of 2 values (the model's input, a sample of shape [2]), found 2"
                + " samples of shape [2, 2]"), bad.err());
    }

    @Test
    void wrongInputWidthSaysExpectedAndFound() throws IOException {
        Path in = Cli.write(dir, "wide.csv", "a,b,c\n1,2,3\n");
        Cli.Result r = Cli.run("predict", run.toString(), "--input", in.toString()).noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("wide.csv:1: expected 2 feature columns (the model's input, a sample of shape [2]),"
                + " found 3"), r.err());
        Path bad = Cli.write(dir, "bad.csv", "a,b\n1,x\n");
        Cli.Result b = Cli.run("predict", run.toString(), "--input", bad.toString()).noStackTrace();
        assertTrue(b.err().contains("bad.csv:2: column 'b': expected a finite number, found \"x\""), b.err());
    }

    @Test
    void mcDropoutWithoutDropoutLayerIsAClearError() throws IOException {
        Path cfg = Cli.write(dir, "nodrop.yaml", Cli.discConfig().replace("  - dropout: {p: 0.1}\n", "")
                .replace("epochs: 2", "epochs: 1"));
        Path noDrop = dir.resolve("nodrop");
        assertEquals(0, Cli.run("train", cfg.toString(), "--out", noDrop.toString()).code());
        Cli.Result r = Cli.run("predict", noDrop.toString(), "--mc-samples", "5").noStackTrace();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--mc-samples: Monte Carlo dropout needs a dropout layer in the model"), r.err());
    }
}
