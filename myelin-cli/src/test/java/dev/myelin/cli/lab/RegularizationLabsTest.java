package dev.myelin.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dropout and weight-decay labs in quick mode (tiny Fashion-MNIST subsets, 3 epochs): each
 * run appears in metrics.csv with its extra columns, summary.json holds every run's figures,
 * the chart is a PNG, and the verdict compares the runs.
 */
class RegularizationLabsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "dropout, dropout.png, no-dropout|dropout|dropconnect, train_eval_accuracy, gap",
        "weight-decay, weight-decay.png, none|l2|l1, near_zero_fraction, near_zero_fraction"})
    void quickRunWritesMetricsSummaryChartAndVerdict(String name, String png, String runs, String column, String figure)
            throws Exception {
        Experiment e = Labs.find(name).orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LabContext ctx = new LabContext(dir, new PrintStream(out, true, StandardCharsets.UTF_8), 0, true, null);

        String verdict = e.run(ctx);

        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertTrue(csv.get(0).startsWith("run,epoch,") && csv.get(0).contains("," + column), csv.get(0));
        assertEquals(1 + 3 * 3, csv.size(), "three runs of three epochs");
        byte[] image = Files.readAllBytes(dir.resolve(png));
        assertTrue(image.length > 1000 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G', png);
        JsonNode summary = new ObjectMapper().valueToTree(ctx.summary());
        for (String run : runs.split("\\|")) {
            assertTrue(csv.stream().anyMatch(l -> l.startsWith(run + ",")), run + " in metrics.csv");
            assertTrue(summary.path(run).path(figure).isNumber(), run + "." + figure + " in " + summary);
            assertTrue(summary.path(run).path("test_accuracy").asDouble() > 0.3, run + " learned: " + summary);
            assertTrue(verdict.contains(run), verdict);
        }
    }
}
