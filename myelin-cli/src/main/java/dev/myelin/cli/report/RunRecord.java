package dev.myelin.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.cli.run.RunSummary;
import dev.myelin.cli.run.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a report shows of one run folder: its {@code metrics.csv} columns (every epoch), its
 * {@code summary.json} (empty while a lab run has none), its {@code config.yaml} as text and
 * as flat {@code --set} keys ({@code optimizer.lr}, {@code model[1].linear.out}).
 *
 * @param metrics each column of metrics.csv by name, NaN where the field is empty
 * @param config  config.yaml's text ("" when the folder has none)
 * @param keys    every leaf of the config by its {@code --set} key, as text
 */
public record RunRecord(Path dir, String name, Map<String, double[]> metrics, ObjectNode summary, String config,
                        Map<String, String> keys) {
    private static final YAMLMapper YAML = new YAMLMapper();

    /**
     * True when {@code dir} holds a run's {@code metrics.csv}: one row per epoch, its first column
     * {@code epoch} (a lab folder's metrics.csv, one row per run, starts with {@code run}).
     */
    public static boolean isRun(Path dir) {
        Path csv = dir.resolve(RunFolder.METRICS);
        if (!Files.isRegularFile(csv)) {
            return false;
        }
        try (var lines = Files.lines(csv)) {
            return lines.findFirst().map(l -> l.startsWith("epoch,") || l.equals("epoch")).orElse(false);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Reads the run folder {@code dir}; a run that has not finished its first epoch has no
     * metrics yet and reads as empty columns.
     *
     * @throws UserException when a file of the folder cannot be read or parsed
     */
    public static RunRecord read(Path dir) {
        Path csv = dir.resolve(RunFolder.METRICS);
        Path yaml = dir.resolve(RunFolder.CONFIG);
        try {
            Map<String, double[]> metrics = Files.isRegularFile(csv) ? metrics(csv) : Map.of();
            String config = Files.isRegularFile(yaml) ? Files.readString(yaml) : "";
            Map<String, String> keys = new LinkedHashMap<>();
            if (!config.isBlank()) {
                flatten("", YAML.readTree(config), keys);
            }
            ObjectNode summary = RunSummary.read(dir);
            Path abs = dir.toAbsolutePath().normalize();
            String name = abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
            return new RunRecord(dir, name, metrics, summary, config, keys);
        } catch (IOException e) {
            throw new UserException(dir + ": cannot read the run for its report: " + e.getMessage());
        }
    }

    /** The columns of a metrics.csv file; a row shorter than the header leaves NaN in the rest. */
    static Map<String, double[]> metrics(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return Map.of();
        }
        String[] header = lines.get(0).split(",", -1);
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String h : header) {
            double[] column = new double[lines.size() - 1];
            Arrays.fill(column, Double.NaN);
            out.put(h.strip(), column);
        }
        List<double[]> columns = new ArrayList<>(out.values());
        for (int r = 1; r < lines.size(); r++) {
            String[] f = lines.get(r).split(",", -1);
            for (int c = 0; c < Math.min(f.length, header.length); c++) {
                columns.get(c)[r - 1] = parse(csv, r + 1, header[c], f[c]);
            }
        }
        return out;
    }

    private static double parse(Path csv, int line, String column, String field) {
        String s = field.strip();
        if (s.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new UserException(csv + ": line " + line + ", column " + column + ": expected a number, found \""
                    + s + "\"");
        }
    }

    /** Puts every scalar of {@code node} into {@code out} under its {@code --set} key. */
    static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), out));
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.put(prefix, "[]");
            }
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), out);
            }
        } else if (node.isNull()) {
            out.put(prefix, "null");
        } else {
            out.put(prefix, node.asText());
        }
    }

    /** The column {@code name}, or an empty one. */
    public double[] column(String name) {
        return metrics.getOrDefault(name, new double[0]);
    }
}
