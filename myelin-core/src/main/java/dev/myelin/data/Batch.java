package dev.myelin.data;

import dev.myelin.tensor.Tensor;

/**
 * A mini-batch of {@code n} samples.
 *
 * <p>Shape: {@code x} is {@code [n, ...featureShape]}; {@code y} is {@code [n]} holding the class
 * indices as floats (or the regression targets).
 */
public record Batch(Tensor x, Tensor y) {

    public Batch {
        if (x == null || y == null) {
            throw new IllegalArgumentException("Batch: expected features x and labels y, received null");
        }
        int[] xs = x.shape();
        int[] ys = y.shape();
        if (xs.length == 0 || ys.length != 1 || xs[0] != ys[0]) {
            throw new IllegalArgumentException("Batch: expected x [n, ...] and y [n] with the same n, received x "
                    + java.util.Arrays.toString(xs) + " and y " + java.util.Arrays.toString(ys));
        }
    }

    /** The number of samples in the batch. */
    public int size() {
        return y.shape()[0];
    }
}
