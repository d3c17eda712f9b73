package dev.myelin.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch's figures, a row of {@code metrics.csv}. Accuracy is NaN for regression; validation
 * figures are NaN when there is no validation split. {@code extra} holds the columns that
 * callbacks and regularizers add (e.g. {@code grad_norm}, {@code penalty}), in the order they
 * were added; they follow the fixed columns.
 */
public record EpochMetrics(int epoch, long step, double lr, double trainLoss, double trainAccuracy,
                           double valLoss, double valAccuracy, double seconds, double samplesPerSecond,
                           Map<String, Double> extra) {
    private static final String FIXED = "epoch,step,lr,train_loss,train_accuracy,val_loss,val_accuracy,seconds,"
            + "samples_per_second";

    public EpochMetrics {
        extra = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** The figures without extra columns. */
    public EpochMetrics(int epoch, long step, double lr, double trainLoss, double trainAccuracy,
                        double valLoss, double valAccuracy, double seconds, double samplesPerSecond) {
        this(epoch, step, lr, trainLoss, trainAccuracy, valLoss, valAccuracy, seconds, samplesPerSecond, Map.of());
    }

    /** The CSV header of the fixed columns. */
    public static String csvHeader() {
        return FIXED;
    }

    /** The CSV header of this row: the fixed columns, then the extra ones. */
    public String header() {
        StringBuilder b = new StringBuilder(FIXED);
        extra.keySet().forEach(k -> b.append(',').append(k));
        return b.toString();
    }

    /** The values as one CSV line, in the order of {@link #header()} (NaN written as an empty field). */
    public String csvRow() {
        StringBuilder b = new StringBuilder();
        b.append(epoch).append(',').append(step).append(',').append(num(lr)).append(',').append(num(trainLoss))
                .append(',').append(num(trainAccuracy)).append(',').append(num(valLoss)).append(',')
                .append(num(valAccuracy)).append(',').append(num(seconds)).append(',').append(num(samplesPerSecond));
        extra.values().forEach(v -> b.append(',').append(num(v)));
        return b.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /** A value by its metrics.csv name (for callbacks that monitor one, e.g. early stopping). */
    public double get(String name) {
        return switch (name) {
            case "train_loss" -> trainLoss;
            case "train_accuracy" -> trainAccuracy;
            case "val_loss" -> valLoss;
            case "val_accuracy" -> valAccuracy;
            case "lr" -> lr;
            default -> {
                Double v = extra.get(name);
                if (v == null) {
                    throw new IllegalArgumentException("unknown metric '" + name + "'; expected train_loss,"
                            + " train_accuracy, val_loss, val_accuracy, lr" + (extra.isEmpty() ? "" : " or one of "
                            + String.join(", ", extra.keySet())));
                }
                yield v;
            }
        };
    }

    /** Writes this row into {@code into} (a checkpoint's history), each column under its metrics.csv name. */
    void saveTo(TrainState into) {
        into.put("epoch", epoch).put("step", step).put("lr", lr).put("train_loss", trainLoss)
                .put("train_accuracy", trainAccuracy).put("val_loss", valLoss).put("val_accuracy", valAccuracy)
                .put("seconds", seconds).put("samples_per_second", samplesPerSecond)
                .put("extra", String.join(",", extra.keySet()));
        extra.forEach((k, v) -> into.put("extra." + k, v));
    }

    /** The row {@link #saveTo} wrote. */
    static EpochMetrics readFrom(TrainState from) {
        Map<String, Double> extra = new LinkedHashMap<>();
        String names = from.getString("extra");
        for (String k : names.isEmpty() ? new String[0] : names.split(",")) {
            extra.put(k, from.getDouble("extra." + k));
        }
        return new EpochMetrics(from.getInt("epoch"), from.getLong("step"), from.getDouble("lr"),
                from.getDouble("train_loss"), from.getDouble("train_accuracy"), from.getDouble("val_loss"),
                from.getDouble("val_accuracy"), from.getDouble("seconds"), from.getDouble("samples_per_second"), extra);
    }
}
