package dev.myelin.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.data.MnistFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick versions of {@code lab activations} and {@code lab init} on Fashion-MNIST: they
 * write metrics.csv and their charts, fill the summary, and their verdicts state what the
 * numbers show; in {@code init} the N(0, 1) ReLU network blows up while Kaiming, LSUV and
 * looks-linear stay level, which is the experiment's point (and what a broken init or hook
 * would change).
 */
class ActivationsInitLabsTest {
    @TempDir
    Path dir;

    private JsonNode run(Experiment e) throws Exception {
        assumeTrue(Files.isDirectory(MnistFormat.FASHION_MNIST_DIR) || System.getenv("MYELIN_DATA") != null,
                "Fashion-MNIST is not installed (apt-get install -y dataset-fashion-mnist)");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LabContext ctx = new LabContext(dir, new PrintStream(out, true, StandardCharsets.UTF_8), 0, true, null);
        String verdict = e.run(ctx);
        assertTrue(Files.size(dir.resolve("metrics.csv")) > 100);
        ctx.summary().put("verdict", verdict);
        return ctx.summary();
    }

    @Test
    void activationsComparesAllSixAndNamesTheThreshold() throws Exception {
        JsonNode s = run(ActivationsLab.LAB);
        assertTrue(Files.size(dir.resolve("activations.png")) > 10_000);
        JsonNode acts = s.get("activations");
        assertEquals(List.of("relu", "tanh", "sigmoid", "elu", "selu", "gelu"), names(acts));
        // in 3 quick epochs the 4-layer sigmoid net may still sit at chance: the lab's point, not a failure
        for (String a : List.of("relu", "tanh", "elu", "selu", "gelu")) {
            assertTrue(acts.get(a).get("final_train_error").asDouble() < 0.9, a + ": " + acts.get(a));
        }
        double sigmoid = acts.get("sigmoid").get("final_train_error").asDouble();
        assertTrue(sigmoid >= 0 && sigmoid <= 1, "sigmoid: " + acts.get("sigmoid"));
        String v = s.get("verdict").asText();
        assertTrue(v.contains("epochs (seconds) to 50% training error") && v.contains("tanh") && v.contains("sigmoid"), v);
        List<String> header = List.of(Files.readAllLines(dir.resolve("metrics.csv")).get(0).split(","));
        assertTrue(header.containsAll(List.of("run", "epoch", "train_error", "elapsed_seconds")), header.toString());
    }

    @Test
    void initShowsExplodingNormalAndLevelKaimingLsuvLooksLinear() throws Exception {
        JsonNode s = run(InitLab.LAB);
        assertTrue(Files.size(dir.resolve("init_std.png")) > 10_000);
        assertTrue(Files.size(dir.resolve("init_training.png")) > 10_000);
        JsonNode runs = s.get("runs");
        assertEquals(11, runs.size());
        assertTrue(ratio(runs.get("relu-normal")) > 100, runs.get("relu-normal").toString());
        for (String level : List.of("relu-kaiming", "relu-lsuv", "looks-linear-crelu")) {
            double r = ratio(runs.get(level));
            assertTrue(r > 0.3 && r < 3, level + " gradient ratio " + r);
        }
        // over 30 tanh layers LSUV's unit variance over-compensates a little (about 1.09 per layer): level by
        // the lab's yardstick (within 100x over the depth), not within 3x
        double tanh = ratio(runs.get("tanh-lsuv"));
        assertTrue(tanh > 0.01 && tanh < 100, "tanh-lsuv gradient ratio " + tanh);
        assertTrue(ratio(runs.get("relu-xavier")) < 0.01, "vanishing under Xavier with ReLU");
        assertEquals(1.0, ratio(runs.get("looks-linear-crelu")), 0.05, "a linear map passes gradients unchanged");
        String v = s.get("verdict").asText();
        assertTrue(v.contains("exploding: tanh-normal, relu-normal") && v.contains("vanishing: relu-xavier"), v);
    }

    private static double ratio(JsonNode r) {
        return r.get("gradient_std_first").asDouble() / r.get("gradient_std_last").asDouble();
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
