package dev.myelin.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportPageTest {
    @TempDir
    Path dir;

    /** A run folder with {@code epochs} rows of plausible metrics and the given learning rate. */
    private Path run(String name, int epochs, double lr, String extraConfig) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        StringBuilder csv = new StringBuilder("epoch,step,lr,train_loss,train_accuracy,val_loss,val_accuracy,seconds,"
                + "samples_per_second\n");
        for (int e = 1; e <= epochs; e++) {
            double loss = 0.3 + Math.exp(-e / 17.0) + 1e-9 * e;
            csv.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%s,%s,%s%n", e, 422 * e, lr, loss, 1 - loss / 3,
                    e == 3 ? "" : Double.toString(loss + 0.05), e == 3 ? "" : Double.toString(1 - loss / 2.9),
                    1.234567891, 45678.123456));
        }
        Files.writeString(d.resolve("metrics.csv"), csv);
        Files.writeString(d.resolve("config.yaml"), "seed: 0\nmodel:\n  - linear: {out: 10}\noptimizer:\n  name: adam\n"
                + "  lr: " + lr + "\n" + extraConfig);
        Files.writeString(d.resolve("summary.json"), "{\"name\": \"" + name + "\", \"status\": \"finished\","
                + " \"test_accuracy\": 0.875, \"model\": {\"layers\": []}}");
        return d;
    }

    private static JsonNode data(String html) throws IOException {
        int b = html.indexOf("const DATA = ") + "const DATA = ".length();
        int e = html.indexOf(";\nconst T0", b);
        return new ObjectMapper().readTree(html.substring(b, e));
    }

    @Test
    void theDataHoldsEveryEpochRoundedToSixDigitsAndEmptyFieldsAsNull() throws IOException {
        RunRecord r = RunRecord.read(run("a", 40, 0.001, ""));
        String html = ReportPage.html("a", List.of(r), null);
        JsonNode d = data(html);
        JsonNode m = d.get("runs").get(0).get("metrics");
        assertEquals(40, m.get("epoch").size(), "no down-sampling");
        assertEquals(40, m.get("train_loss").size());
        assertTrue(m.get("val_loss").get(2).isNull(), "an empty field is null");
        assertEquals(1.23457, m.get("seconds").get(0).asDouble(), 0, "six significant digits");
        assertEquals(0.001, m.get("lr").get(0).asDouble(), 0);
        assertFalse(m.has("step") || m.has("samples_per_second"), "derived columns are left out");
        assertEquals("finished", d.get("status").asText());
        assertTrue(d.get("model").isObject(), "a single run's page holds its model summary");
        assertTrue(d.get("config").asText().contains("lr: 0.001"));
    }

    @Test
    void thePageIsSelfContained() throws IOException {
        String html = ReportPage.html("a", List.of(RunRecord.read(run("a", 3, 0.01, ""))), null);
        assertFalse(html.contains("/*MYELIN_DATA*/"), "the data replaced the placeholder");
        assertFalse(html.matches("(?s).*(src|href)=\"?(https?:)?//.*"), "nothing is loaded from the network");
        assertFalse(html.contains("<link") || html.contains("<script src"), "no external script or style");
        assertEquals(1, html.split("</script>", -1).length - 1, "one script block");
    }

    @Test
    void markupInARunsTextCannotCloseTheScript() throws IOException {
        RunRecord r = RunRecord.read(run("x", 2, 0.1, "note: \"</script><script>alert(1)</script><!--\"\n"));
        String html = ReportPage.html("</script>", List.of(r), null);
        assertEquals(1, html.split("</script>", -1).length - 1, html);
        assertTrue(data(html).get("config").asText().contains("</script><script>alert(1)"));
    }

    @Test
    void severalRunsListTheKeysThatDiffer() throws IOException {
        List<RunRecord> runs = List.of(RunRecord.read(run("a", 3, 0.001, "epochs: 3\n")),
                RunRecord.read(run("b", 3, 0.01, "epochs: 3\n")), RunRecord.read(run("c", 3, 0.01, "")));
        JsonNode d = data(ReportPage.html("three", runs, "optimizer.lr"));
        assertEquals(List.of("optimizer.lr", "epochs"), toList(d.get("differing")));
        assertEquals("0.001", d.get("runs").get(0).get("keys").get("optimizer.lr").asText());
        assertFalse(d.get("runs").get(2).get("keys").has("epochs"), "an unset key is absent");
        assertEquals("optimizer.lr", d.get("colorBy").asText());
        assertTrue(d.get("model").isNull(), "the model table is for a single run");
        assertEquals("model[0].linear.out", ReportPage.keys(runs).stream().filter(k -> k.startsWith("model"))
                .findFirst().orElseThrow());
    }

    @Test
    void twoHundredRunsOfAHundredEpochsStayUnderTwoMegabytes() throws IOException {
        List<RunRecord> runs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            runs.add(RunRecord.read(run("trial-" + i, 100, 1e-4 * (1 + i), "")));
        }
        Path file = dir.resolve("report.html");
        ReportPage.write(file, "200 runs", runs, "optimizer.lr");
        long size = Files.size(file);
        assertTrue(size < 2_000_000, "report of 200 x 100 epochs is " + size + " bytes");
        assertEquals(200 * 100, data(Files.readString(file)).get("runs").findValues("epoch").stream()
                .mapToInt(JsonNode::size).sum());
    }

    @Test
    void aBadMetricsFieldNamesTheFileLineAndColumn() throws IOException {
        Path d = run("bad", 2, 0.1, "");
        Files.writeString(d.resolve("metrics.csv"), "epoch,lr\n1,0.1\n2,abc\n");
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.myelin.cli.run.UserException.class,
                () -> RunRecord.read(d));
        assertTrue(e.getMessage().contains("metrics.csv: line 3, column lr: expected a number, found \"abc\""),
                e.getMessage());
    }

    private static List<String> toList(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }
}
