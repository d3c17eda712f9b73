package dev.myelin.train;

/**
 * One epoch's figures, a row of {@code metrics.csv}. Accuracy is NaN for regression; validation
 * figures are NaN when there is no validation split.
 */
public record EpochMetrics(int epoch, long step, double lr, double trainLoss, double trainAccuracy,
                           double valLoss, double valAccuracy, double seconds, double samplesPerSecond) {

    /** The CSV header, in the order of {@link #csvRow()}. */
    public static String csvHeader() {
        return "epoch,step,lr,train_loss,train_accuracy,val_loss,val_accuracy,seconds,samples_per_second";
    }

    /** The values as one CSV line (NaN written as an empty field). */
    public String csvRow() {
        return epoch + "," + step + "," + num(lr) + "," + num(trainLoss) + "," + num(trainAccuracy) + ","
                + num(valLoss) + "," + num(valAccuracy) + "," + num(seconds) + "," + num(samplesPerSecond);
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
            default -> throw new IllegalArgumentException("unknown metric '" + name
                    + "'; expected train_loss, train_accuracy, val_loss, val_accuracy or lr");
        };
    }
}
