package dev.myelin.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A self-contained HTML report of one or more runs: one file with its script and styles inline
 * and the runs' data as JSON, so it opens offline and can be mailed. The page draws its charts
 * as SVG (loss, accuracy, learning rate, any extra metrics.csv column, seconds per epoch) with
 * every epoch's point, shows a value on hover and hides a series or a run on a click, and tables
 * the runs' summaries with the config keys that differ between them, by which it can also colour
 * the curves. A single run's page adds its model summary and resolved config.
 */
public final class ReportPage {
    /** The file name a run folder's report has. */
    public static final String FILE = "report.html";
    private static final String PLACEHOLDER = "/*MYELIN_DATA*/null";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Significant digits kept of each metric: the curves and the hover values need four. */
    private static final MathContext DIGITS = new MathContext(6);
    /** Columns left out: the step is the epoch's, samples per second is the seconds' inverse. */
    private static final Set<String> SKIPPED = Set.of("step", "samples_per_second");

    private ReportPage() {
    }

    /**
     * Writes the report of {@code runs} to {@code file} atomically (a reloading browser never
     * sees half a page).
     *
     * @param colorBy the config key to colour the runs by at first (null: by run)
     */
    public static void write(Path file, String title, List<RunRecord> runs, String colorBy) throws IOException {
        String html = html(title, runs, colorBy);
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, html);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The page's HTML. */
    public static String html(String title, List<RunRecord> runs, String colorBy) {
        // "<" only occurs inside JSON strings; as \u003c no text can end the script or open a comment.
        String data = data(title, runs, colorBy).toString().replace("<", "\\u003c");
        return template().replace(PLACEHOLDER, data);
    }

    /** The JSON the page draws. */
    static ObjectNode data(String title, List<RunRecord> runs, String colorBy) {
        ObjectNode d = JSON.createObjectNode();
        d.put("title", title);
        d.put("written", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
        d.put("colorBy", colorBy);
        List<String> differing = differing(runs);
        d.set("differing", JSON.valueToTree(differing));
        ArrayNode list = d.putArray("runs");
        for (RunRecord r : runs) {
            ObjectNode o = list.addObject();
            o.put("name", r.name());
            o.put("dir", r.dir().toString());
            ObjectNode m = o.putObject("metrics");
            r.metrics().forEach((k, v) -> {
                if (!SKIPPED.contains(k)) {
                    column(m.putArray(k), v);
                }
            });
            o.set("summary", summary(r.summary()));
            ObjectNode keys = o.putObject("keys");
            for (String k : differing) {
                if (r.keys().containsKey(k)) {
                    keys.put(k, r.keys().get(k));
                }
            }
            if (colorBy != null && r.keys().containsKey(colorBy)) {
                keys.put(colorBy, r.keys().get(colorBy));
            }
        }
        if (!runs.isEmpty()) {
            d.put("config", runs.get(0).config());
            d.put("status", runs.size() == 1 ? runs.get(0).summary().path("status").asText(null) : null);
            JsonNode model = runs.get(0).summary().get("model");
            d.set("model", runs.size() == 1 && model != null ? model : null);
        }
        return d;
    }

    /** The summary's scalar fields (the model and the members go elsewhere or nowhere). */
    private static ObjectNode summary(ObjectNode s) {
        ObjectNode o = JSON.createObjectNode();
        s.properties().forEach(e -> {
            if (e.getValue().isValueNode()) {
                o.set(e.getKey(), e.getValue());
            }
        });
        return o;
    }

    private static void column(ArrayNode a, double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                a.addNull();
            } else if (x == Math.rint(x) && Math.abs(x) < 1e15) {
                a.add((long) x);
            } else {
                a.add(new BigDecimal(x).round(DIGITS).stripTrailingZeros());
            }
        }
    }

    /** The config keys whose values are not the same in every run (set in some runs only counts). */
    static List<String> differing(List<RunRecord> runs) {
        List<String> out = new ArrayList<>();
        for (String k : keys(runs)) {
            String first = runs.get(0).keys().get(k);
            for (RunRecord r : runs) {
                if (!Objects.equals(first, r.keys().get(k))) {
                    out.add(k);
                    break;
                }
            }
        }
        return out;
    }

    /** Every key any run's config has, for checking a {@code --color-by}. */
    public static Set<String> keys(List<RunRecord> runs) {
        Set<String> all = new LinkedHashSet<>();
        runs.stream().map(RunRecord::keys).map(Map::keySet).forEach(all::addAll);
        return all;
    }

    private static String template() {
        try (InputStream in = ReportPage.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException("the report template " + FILE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
