package dev.myelin.data;

import dev.myelin.tensor.Rng;

/**
 * The "disc" toy set of the lecture on deep networks (going-deeper, workload D of
 * BENCHMARKS.md): points uniform in {@code [-1, 1]^2}, label 1 inside the disc of area 2
 * centred at the origin, else 0.
 *
 * <pre>
 * x ~ U([-1, 1]^2),   y = 1 if x1^2 + x2^2 &lt; 2/pi else 0,   radius r = sqrt(2/pi) ~ 0.798
 * </pre>
 *
 * The square has area 4 and the disc area {@code pi r^2 = 2}, so the two classes are balanced
 * (each has probability 1/2). Shape: features {@code [2]}, 2 classes.
 */
public final class Disc {
    /** The disc's radius, {@code sqrt(2/pi)}: area 2, half of the square. */
    public static final double RADIUS = Math.sqrt(2 / Math.PI);

    private Disc() {
    }

    /** {@code n} points drawn from {@code rng}: the same seed gives the same set. */
    public static ArrayDataset generate(int n, Rng rng) {
        if (n < 0) {
            throw new IllegalArgumentException("Disc.generate: expected n >= 0 points, received " + n);
        }
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            float a = (float) (2 * rng.nextDouble() - 1);
            float b = (float) (2 * rng.nextDouble() - 1);
            x[2 * i] = a;
            x[2 * i + 1] = b;
            y[i] = inside(a, b) ? 1 : 0;
        }
        return new ArrayDataset(x, new int[] {2}, y, 2);
    }

    /** The label rule: whether {@code (a, b)} lies strictly inside the disc. */
    public static boolean inside(double a, double b) {
        return a * a + b * b < 2 / Math.PI;
    }
}
