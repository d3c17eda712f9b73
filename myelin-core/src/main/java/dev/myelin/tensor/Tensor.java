package dev.myelin.tensor;

import java.util.Arrays;

/**
 * A float32 tensor: row-major, contiguous storage in a heap {@code float[]}.
 * (Minimal bootstrap version; the full operation set follows.)
 */
public final class Tensor {
    final float[] data;
    final int[] shape;

    Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** A tensor over {@code data} (not copied) with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape: expected sizes >= 0, got " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but the data has " + data.length);
        }
        return new Tensor(data, shape.clone());
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return new Tensor(new float[Math.toIntExact(n)], shape.clone());
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The backing array, row-major; writes to it change the tensor. */
    public float[] data() {
        return data;
    }

    /** The number of elements. */
    public int numel() {
        return data.length;
    }
}
