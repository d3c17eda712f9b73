package dev.myelin.cli.lab;

import dev.myelin.cli.report.Chart;
import dev.myelin.train.EpochMetrics;
import dev.myelin.train.History;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An experiment's {@code metrics.csv} in long form: one row per run and step (epoch,
 * iteration, layer, ...), the first column naming the run ({@code bn}, {@code no-bn}), the
 * others the union of all rows' values in the order first seen; a value a row lacks is empty.
 */
public final class Table {
    private record Row(String run, Map<String, Double> values) {
    }

    private final Set<String> columns = new LinkedHashSet<>();
    private final List<Row> rows = new ArrayList<>();

    /** Adds one row of {@code run}. */
    public Table add(String run, Map<String, ? extends Number> values) {
        Map<String, Double> v = new LinkedHashMap<>();
        values.forEach((k, n) -> v.put(k, n.doubleValue()));
        columns.addAll(v.keySet());
        rows.add(new Row(run, v));
        return this;
    }

    /** Adds one row per epoch of a training history: the columns of the trainer's metrics.csv. */
    public Table add(String run, History h) {
        for (EpochMetrics m : h.epochs()) {
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("epoch", (double) m.epoch());
            v.put("step", (double) m.step());
            v.put("lr", m.lr());
            v.put("train_loss", m.trainLoss());
            v.put("train_accuracy", m.trainAccuracy());
            v.put("val_loss", m.valLoss());
            v.put("val_accuracy", m.valAccuracy());
            v.put("seconds", m.seconds());
            v.putAll(m.extra());
            add(run, v);
        }
        return this;
    }

    /**
     * Adds one row per epoch of {@code h}: its {@code epoch} and the figures {@code figures}
     * derives from that epoch (a lab's derived columns, e.g. {@code val_error}).
     */
    public Table addPerEpoch(String run, History h, Function<EpochMetrics, Map<String, Double>> figures) {
        for (EpochMetrics m : h.epochs()) {
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("epoch", (double) m.epoch());
            v.putAll(figures.apply(m));
            add(run, v);
        }
        return this;
    }

    /** The runs, in the order first added. */
    public List<String> runs() {
        return rows.stream().map(Row::run).distinct().toList();
    }

    /** The values of {@code column} over the rows of {@code run} (NaN where a row lacks it). */
    public double[] column(String run, String column) {
        return rows.stream().filter(r -> r.run().equals(run))
                .mapToDouble(r -> r.values().getOrDefault(column, Double.NaN)).toArray();
    }

    /** A chart panel with one line per run: {@code y} against {@code x}. */
    public Chart chart(String title, String x, String y, String yLabel) {
        Chart c = Chart.of(title, x, yLabel);
        for (String run : runs()) {
            c.line(run, column(run, x), column(run, y));
        }
        return c;
    }

    /** Writes the table as CSV (NaN as an empty field). */
    public void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder("run");
        columns.forEach(c -> b.append(',').append(c));
        b.append('\n');
        for (Row r : rows) {
            b.append(r.run());
            for (String c : columns) {
                Double v = r.values().get(c);
                b.append(',').append(v == null || v.isNaN() ? "" : format(v));
            }
            b.append('\n');
        }
        Files.writeString(file, b);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
