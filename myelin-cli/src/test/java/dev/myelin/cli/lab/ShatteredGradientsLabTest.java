package dev.myelin.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.cli.Cli;
import dev.myelin.tensor.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lab shattered-gradients}: the correlation measure, the gradients, and a verdict computed from them. */
class ShatteredGradientsLabTest {
    @TempDir
    Path dir;

    @Test
    void lagOneCorrelationTellsBrownFromWhiteNoise() {
        float[] steps = new float[100];
        float[] alternating = new float[100];
        for (int i = 0; i < 100; i++) {
            steps[i] = i < 50 ? 1 : -1;
            alternating[i] = i % 2 == 0 ? 1 : -1;
        }
        assertEquals(0.97, ShatteredGradientsLab.lagOneCorrelation(steps), 1e-9); // 98 equal neighbours, one change
        assertEquals(-0.99, ShatteredGradientsLab.lagOneCorrelation(alternating), 1e-9);
        assertTrue(Double.isNaN(ShatteredGradientsLab.lagOneCorrelation(new float[] {2, 2, 2})));
    }

    @Test
    void aOneLayerNetsGradientIsPiecewiseConstantAndTheSameSeedGivesTheSameBits() {
        float[] xs = {-1, -0.999f, 0.5f, 0.501f};
        float[] g = ShatteredGradientsLab.gradients(false, 1, xs, new Rng(4));
        // y = v.relu(w x + b): between kinks the gradient is constant
        assertEquals(g[0], g[1], 1e-6 * Math.abs(g[0]) + 1e-6);
        assertEquals(g[2], g[3], 1e-6 * Math.abs(g[2]) + 1e-6);
        assertEquals(java.util.Arrays.toString(g),
                java.util.Arrays.toString(ShatteredGradientsLab.gradients(false, 1, xs, new Rng(4))));
    }

    @Test
    void quickModeMeasuresBothNets() throws Exception {
        Path out = dir.resolve("sg");
        Cli.Result r = Cli.run("lab", "shattered-gradients", "--quick", "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertTrue(s.get("plain").has("depth4") && s.get("residual").has("depth1"), s.toString());
        assertTrue(Files.size(out.resolve("shattered-gradients.png")) > 1000);
    }

    @Test
    void theVerdictFollowsTheNumbers() {
        int[] depths = {1, 16, 64};
        Map<String, double[]> shattered = new LinkedHashMap<>();
        shattered.put("plain", new double[] {0.96, 0.0, 0.01});
        shattered.put("residual", new double[] {0.97, 0.8, 0.6});
        Map<String, double[]> sd = new LinkedHashMap<>();
        sd.put("plain", new double[] {0.01, 0.05, 0.05});
        sd.put("residual", new double[] {0.01, 0.05, 0.1});
        assertTrue(ShatteredGradientsLab.judge(depths, shattered, sd, 8).contains("Consistent with the lecture"));
        Map<String, double[]> flat = new LinkedHashMap<>();
        flat.put("plain", new double[] {0.96, 0.9, 0.85});
        flat.put("residual", new double[] {0.97, 0.9, 0.9});
        assertTrue(ShatteredGradientsLab.judge(depths, flat, sd, 8).contains("did not decorrelate"));
        Map<String, double[]> both = new LinkedHashMap<>();
        both.put("plain", new double[] {0.96, 0.1, 0.01});
        both.put("residual", new double[] {0.97, 0.1, 0.05});
        assertTrue(ShatteredGradientsLab.judge(depths, both, sd, 8).contains("mitigation does not show"));
    }
}
