package dev.myelin.cli.lab;

import dev.myelin.nn.Activation;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The lecture's hand-designed deep network (Fleuret, "Going deeper", "Benefits and challenges
 * of greater depth", after Telgarsky 2015, 2016): D hidden layers of 2 ReLU units that compute
 * the D-fold composition of the tent map t(x) = 2&sigma;(x) &minus; 4&sigma;(x &minus; &frac12;),
 * which maps [0, 1] onto itself; the composition has 2^D linear pieces, with 2D hidden units.
 * Each layer computes &sigma;(t) and &sigma;(t &minus; &frac12;) of the previous layer's tent t,
 * and the output layer forms the last tent 2h&#8321; &minus; 4h&#8322;.
 */
final class Sawtooth {
    private Sawtooth() {
    }

    /** The network with {@code depth} hidden layers of 2 units, as Myelin modules. */
    static Sequential network(int depth) {
        List<Module> layers = new ArrayList<>();
        layers.add(new Linear(Tensor.of(new float[] {1, 1}, 2, 1), Tensor.of(new float[] {0, -0.5f}, 2)));
        layers.add(Activation.relu());
        for (int d = 1; d < depth; d++) {
            layers.add(new Linear(Tensor.of(new float[] {2, -4, 2, -4}, 2, 2), Tensor.of(new float[] {0, -0.5f}, 2)));
            layers.add(Activation.relu());
        }
        layers.add(new Linear(Tensor.of(new float[] {2, -4}, 1, 2), Tensor.of(new float[] {0}, 1)));
        return new Sequential(layers);
    }

    /** {@code n + 1} evenly spaced points of [0, 1], as an [n + 1, 1] batch. */
    static Tensor grid(int n) {
        float[] x = new float[n + 1];
        for (int i = 0; i <= n; i++) {
            x[i] = (float) i / n;
        }
        return Tensor.of(x, n + 1, 1);
    }

    /**
     * The number of linear pieces of a function sampled on an even grid whose kinks lie on grid
     * points (the sawtooth's are at multiples of 1/2^D): one more than the number of grid points
     * where the slope changes by more than {@code 1e-3} of the largest slope.
     */
    static int pieces(float[] y) {
        int n = y.length - 1;
        double[] slope = new double[n];
        double largest = 0;
        for (int i = 0; i < n; i++) {
            slope[i] = ((double) y[i + 1] - y[i]) * n;
            largest = Math.max(largest, Math.abs(slope[i]));
        }
        int pieces = 1;
        for (int i = 1; i < n; i++) {
            if (Math.abs(slope[i] - slope[i - 1]) > 1e-3 * largest) {
                pieces++;
            }
        }
        return pieces;
    }

    /**
     * The linear pieces on [0, 1] of a one-hidden-layer ReLU network x &#8614; v&middot;&sigma;(wx + b) + c:
     * one more than the number of distinct kinks &minus;b&#7522;/w&#7522; inside (0, 1) of units whose input
     * weight w&#7522; and output weight v&#7522; are not zero. Exact, where {@link #pieces(float[])} samples.
     */
    static int pieces(Linear hidden, Linear out) {
        float[] w = hidden.weight().toArray();
        float[] b = hidden.bias().toArray();
        float[] v = out.weight().toArray();
        java.util.TreeSet<Double> kinks = new java.util.TreeSet<>();
        for (int i = 0; i < w.length; i++) {
            double k = -(double) b[i] / w[i];
            if (w[i] != 0 && v[i] != 0 && k > 0 && k < 1) {
                kinks.add(k);
            }
        }
        return kinks.size() + 1;
    }

    /** The mean of |f − g| over the grid's points: the L1 distance on [0, 1] by the rectangle rule. */
    static double l1(float[] f, float[] g) {
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            s += Math.abs((double) f[i] - g[i]);
        }
        return s / f.length;
    }
}
