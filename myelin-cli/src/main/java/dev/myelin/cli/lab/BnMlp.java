package dev.myelin.cli.lab;

import dev.myelin.nn.Activation;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * The MLPs of the batch-normalization experiments: Linear layers with ReLU, and BatchNorm1d
 * (PyTorch defaults) placed before the activation, after it, or nowhere:
 *
 * <pre>
 * before:  Linear → BN → ReLU [→ Dropout]      (Ioffe and Szegedy, 2015; workload A; the lecture's create_model)
 * after:   Linear → ReLU → BN [→ Dropout]      (the lectures' W₂ BN(σ(W₁x)))
 * none:    Linear → ReLU [→ Dropout]
 * </pre>
 *
 * The k-th Linear layer draws its initial weights from {@code rng.split("linear" + k)}, so the three
 * variants of one seed start from the same Linear weights and differ only in the normalization.
 */
final class BnMlp {
    /** Where BatchNorm1d goes relative to the ReLU. */
    enum Placement {
        BEFORE("bn-before-relu"), AFTER("bn-after-relu"), NONE("no-bn");

        final String run;

        Placement(String run) {
            this.run = run;
        }
    }

    private BnMlp() {
    }

    /**
     * {@code in → hidden... → out}: every hidden layer is Linear, ReLU and (placed) BatchNorm1d, then
     * Dropout when {@code dropout > 0}; the last Linear has no activation. {@code flatten} prepends a Flatten.
     */
    static Sequential build(int in, int[] hidden, int out, Placement bn, double dropout, boolean flatten, Rng rng) {
        List<Module> layers = new ArrayList<>();
        if (flatten) {
            layers.add(new Flatten());
        }
        int width = in;
        for (int k = 0; k < hidden.length; k++) {
            layers.add(new Linear(width, hidden[k], rng.split("linear" + k)));
            if (bn == Placement.BEFORE) {
                layers.add(new BatchNorm1d(hidden[k]));
            }
            layers.add(Activation.relu());
            if (bn == Placement.AFTER) {
                layers.add(new BatchNorm1d(hidden[k]));
            }
            if (dropout > 0) {
                layers.add(new Dropout(dropout, rng.split("dropout" + k)));
            }
            width = hidden[k];
        }
        layers.add(new Linear(width, out, rng.split("linear" + hidden.length)));
        return new Sequential(layers);
    }
}
