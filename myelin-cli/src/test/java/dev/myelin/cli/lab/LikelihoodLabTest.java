package dev.myelin.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lab likelihood}: the truths it compares with, calibration, and a verdict computed from the figures. */
class LikelihoodLabTest {
    @TempDir
    Path dir;

    @Test
    void theSkewedDataHaveTheStatedMeanMedianAndProbability() {
        LikelihoodLab.Sample s = LikelihoodLab.Sample.draw(new dev.myelin.tensor.Rng(3), 200_000);
        // the residuals y - center(x) are exponential of scale s(x): mean s, median s ln 2, P(e > 0.3) = exp(-0.3/s)
        double mean = 0;
        double expectedMean = 0;
        int above = 0;
        double expectedAbove = 0;
        int belowMedian = 0;
        for (int i = 0; i < s.x().length; i++) {
            double x = s.x()[i];
            mean += s.y()[i];
            expectedMean += LikelihoodLab.mean(x);
            above += (int) s.b()[i];
            expectedAbove += LikelihoodLab.probability(x);
            belowMedian += s.y()[i] < LikelihoodLab.median(x) ? 1 : 0;
        }
        int n = s.x().length;
        assertEquals(expectedMean / n, mean / n, 0.005);
        assertEquals(expectedAbove / n, (double) above / n, 0.005);
        assertEquals(0.5, (double) belowMedian / n, 0.005);
    }

    @Test
    void reliabilityBinsAndTheExpectedCalibrationError() {
        Reliability r = Reliability.of(new double[] {0.05, 0.15, 0.12, 0.95}, new float[] {0, 1, 0, 1}, 10);
        assertEquals(1, r.counts()[0]);
        assertEquals(2, r.counts()[1]);
        assertEquals(0.135, r.predicted()[1], 1e-12);
        assertEquals(0.5, r.observed()[1], 1e-12);
        assertTrue(Double.isNaN(r.predicted()[5]));
        // ECE = 1/4 |0.05 - 0| + 2/4 |0.135 - 0.5| + 1/4 |0.95 - 1|
        assertEquals(0.25 * 0.05 + 0.5 * 0.365 + 0.25 * 0.05, r.error(), 1e-12);
    }

    @Test
    void quickModeFitsEveryLoss() throws Exception {
        Path out = dir.resolve("likelihood");
        Cli.Result r = Cli.run("lab", "likelihood", "--quick", "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertTrue(s.has("mse_rms_to_mean") && s.has("bce_expected_calibration_error"), s.toString());
        assertTrue(Files.size(out.resolve("likelihood.png")) > 1000);
        assertTrue(Cli.run("lab", "likelihood", "--set", "epochs=1").err().contains("takes no --set"));
    }

    @Test
    void theVerdictFollowsTheNumbers() {
        Reliability good = new Reliability(new double[0], new double[0], new int[0], 0.014);
        Reliability floor = new Reliability(new double[0], new double[0], new int[0], 0.008);
        Reliability bad = new Reliability(new double[0], new double[0], new int[0], 0.09);
        String v = LikelihoodLab.judge(new LikelihoodLab.Figures(0.04, 0.2, 0.05, 0.2, 0.05, 0.05, 0.68, good, floor));
        assertTrue(v.contains("MSE estimates the conditional mean, L1 the conditional median, as the lecture says")
                && v.contains("follows the noise") && v.contains("is a calibrated"), v);
        String w = LikelihoodLab.judge(new LikelihoodLab.Figures(0.2, 0.04, 0.05, 0.2, 0.05, 0.5, 0.68, bad, floor));
        assertTrue(w.contains("MSE did not land nearer the mean") && w.contains("does not show for both")
                && w.contains("did not follow") && w.contains("not calibrated"), w);
    }
}
