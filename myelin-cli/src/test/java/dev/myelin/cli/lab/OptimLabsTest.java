package dev.myelin.cli.lab;

import dev.myelin.cli.Cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick versions of {@code lab optimizers}, {@code lab schedules} and {@code lab clipping} on
 * Fashion-MNIST (installed by .ci/run; $MYELIN_DATA or the Debian package's folder): the run
 * folder holds metrics.csv, summary.json and the chart, and the figures behave as each lab says.
 */
class OptimLabsTest {
    @TempDir
    Path dir;

    private JsonNode run(String lab) throws IOException {
        Path out = dir.resolve(lab);
        Cli.Result r = Cli.run("lab", lab, "--quick", "--out", out.toString()).noStackTrace();
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("run folder: " + out), r.toString());
        assertTrue(Files.size(out.resolve(lab + ".png")) > 10_000, "chart " + lab + ".png");
        assertTrue(Files.readString(out.resolve("metrics.csv")).startsWith("run,epoch,step,lr,train_loss"));
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertTrue(s.get("verdict").asText().length() > 50, s.toString());
        return s;
    }

    private List<String[]> rows(String lab, String run) throws IOException {
        return Files.readAllLines(dir.resolve(lab).resolve("metrics.csv")).stream().skip(1)
                .map(l -> l.split(",", -1)).filter(f -> f[0].equals(run)).toList();
    }

    @Test
    void optimizersTrainsEveryOptimizerOnTheSameModel() throws IOException {
        JsonNode s = run("optimizers");
        List<String> names = List.of("sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "adamw",
                "nadam");
        for (String n : names) {
            JsonNode r = s.get("runs").get(n);
            assertTrue(r != null && r.get("final_train_loss").asDouble() < Math.log(10), n + ": " + s);
            assertEquals(2, rows("optimizers", n).size(), n);
        }
    }

    @Test
    void schedulesLogTheirRatePerEpoch() throws IOException {
        run("schedules");
        double[] constant = rows("schedules", "constant").stream().mapToDouble(f -> Double.parseDouble(f[3])).toArray();
        double[] exp = rows("schedules", "exponential").stream().mapToDouble(f -> Double.parseDouble(f[3])).toArray();
        double[] cosine = rows("schedules", "cosine").stream().mapToDouble(f -> Double.parseDouble(f[3])).toArray();
        assertTrue(Arrays.stream(constant).allMatch(v -> v == 0.05), Arrays.toString(constant));
        for (int e = 1; e < exp.length; e++) {
            assertTrue(exp[e] < exp[e - 1] && cosine[e] < cosine[e - 1], "decaying rates: " + Arrays.toString(exp)
                    + " " + Arrays.toString(cosine));
        }
        assertEquals(0.05 * Math.pow(0.1, 1.0 / 3), exp[1], 1e-9, "exponential after one of three epochs");
    }

    @Test
    void clippingShowsTheUnclippedRunDivergingAndTheClippedOneTraining() throws IOException {
        JsonNode s = run("clipping");
        assertTrue(s.get("shows_claim").asBoolean(), s.toString());
        assertTrue(s.get("runs").get("no-clipping").get("diverged").asBoolean(), s.toString());
        assertTrue(s.get("runs").get("clip-norm").get("test_accuracy").asDouble() > 0.2, s.toString());
        String header = Files.readAllLines(dir.resolve("clipping").resolve("metrics.csv")).get(0);
        assertTrue(header.contains("grad_norm_mean,grad_norm_max"), header);
    }
}
