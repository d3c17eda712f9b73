package dev.myelin.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.cli.Cli;
import dev.myelin.nn.Linear;
import dev.myelin.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lab depth}: the hand-built sawtooth, the piece counts, and a verdict computed from the widths needed. */
class DepthLabTest {
    @TempDir
    Path dir;

    @Test
    void theHandBuiltNetworkIsTheComposedTentMapWithTwoToTheDPieces() {
        Tensor grid = Sawtooth.grid(1024);
        for (int depth = 1; depth <= 8; depth++) {
            float[] y = FitLoop.evaluate(Sawtooth.network(depth), grid);
            assertEquals(1 << depth, Sawtooth.pieces(y), "depth " + depth);
            for (int i = 0; i <= 1024; i += 7) {
                double x = i / 1024.0;
                for (int d = 0; d < depth; d++) {
                    x = x < 0.5 ? 2 * x : 2 - 2 * x;
                }
                assertEquals(x, y[i], 1e-5, "depth " + depth + " at " + i / 1024.0);
            }
        }
    }

    @Test
    void aShallowNetworksPiecesAreItsKinksInsideTheIntervalPlusOne() {
        // kinks at 0.25 (twice: counted once), 0.5; one outside [0, 1], one with a zero output weight
        Linear hidden = new Linear(Tensor.of(new float[] {1, 2, -4, 1, 1}, 5, 1),
                Tensor.of(new float[] {-0.25f, -0.5f, 2, 3, -0.75f}, 5));
        Linear out = new Linear(Tensor.of(new float[] {1, -1, 1, 1, 0}, 1, 5), Tensor.of(new float[] {0}, 1));
        assertEquals(3, Sawtooth.pieces(hidden, out));
        assertEquals(0.25, Sawtooth.l1(new float[] {0, 1}, new float[] {0.5f, 1}));
    }

    @Test
    void quickModeFitsEveryWidth() throws Exception {
        Path out = dir.resolve("depth");
        Cli.Result r = Cli.run("lab", "depth", "--quick", "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(4, s.get("depths").get("2").get("deep_pieces").asInt(), s.toString());
        assertTrue(s.get("depths").get("2").get("width8").has("l1_error"), s.toString());
        assertTrue(Files.size(out.resolve("depth.png")) > 1000);
    }

    @Test
    void theVerdictFollowsTheNumbers() {
        Map<Integer, Integer> doubling = new LinkedHashMap<>();
        doubling.put(1, 2);
        doubling.put(2, 4);
        doubling.put(3, 8);
        doubling.put(4, 16);
        doubling.put(5, null);
        assertEquals(1.0, DepthLab.slope(doubling), 1e-12);
        String v = DepthLab.judge(doubling, 256);
        assertTrue(v.contains("D=5: more than 256") && v.contains("grows by 1.00 per layer")
                && v.contains("Consistent with the lecture"), v);
        Map<Integer, Integer> linear = new LinkedHashMap<>();
        linear.put(2, 4);
        linear.put(3, 6);
        linear.put(4, 8);
        linear.put(5, 10);
        assertTrue(DepthLab.judge(linear, 256).contains("The effect does not show"), DepthLab.judge(linear, 256));
        Map<Integer, Integer> two = new LinkedHashMap<>();
        two.put(1, 2);
        two.put(2, null);
        assertTrue(DepthLab.judge(two, 256).contains("cannot measure"));
    }
}
