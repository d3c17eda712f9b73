package dev.myelin.cli.lab;

import dev.myelin.nn.Activation;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The plain multilayer perceptrons of the activation and initialization experiments: flatten,
 * then Linear + activation per hidden layer, then a Linear to the classes; no normalization, no
 * dropout, biases zero (as in Glorot &amp; Bengio's depth experiments, so only the weights set
 * the scale). With CReLU the layers after each activation read twice the width.
 */
final class Mlp {
    /** How a layer's weight is drawn: {@code first} is true for the layer that reads the data. */
    @FunctionalInterface
    interface WeightInit {
        void apply(Tensor weight, boolean first, Rng rng);
    }

    private Mlp() {
    }

    /**
     * @param widths input size, hidden widths..., number of classes
     * @param crelu  whether the activation is CReLU (doubles the width it hands on)
     */
    static Sequential build(int[] widths, Supplier<Activation> activation, boolean crelu, WeightInit init, Rng rng) {
        List<Module> layers = new ArrayList<>();
        layers.add(new Flatten());
        for (int l = 0; l + 1 < widths.length; l++) {
            int in = l == 0 || !crelu ? widths[l] : 2 * widths[l];
            Linear lin = new Linear(in, widths[l + 1], rng.split("linear" + l));
            init.apply(lin.weight(), l == 0, rng.split("init" + l));
            lin.bias().fill(0f);
            layers.add(lin);
            if (l + 2 < widths.length) {
                layers.add(activation.get());
            }
        }
        return new Sequential(layers);
    }

    /** {@code [in, hidden × depth, out]}. */
    static int[] widths(int in, int hidden, int depth, int out) {
        int[] w = new int[depth + 2];
        java.util.Arrays.fill(w, hidden);
        w[0] = in;
        w[depth + 1] = out;
        return w;
    }
}
