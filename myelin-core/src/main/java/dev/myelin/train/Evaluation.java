package dev.myelin.train;

/** Mean loss and accuracy over a data set (accuracy NaN for regression). */
public record Evaluation(double loss, double accuracy, int samples) {
}
