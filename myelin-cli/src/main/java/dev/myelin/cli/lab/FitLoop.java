package dev.myelin.cli.lab;

import dev.myelin.nn.Loss;
import dev.myelin.nn.Module;
import dev.myelin.optim.Adam;
import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;

/**
 * The training loop of the labs that fit small synthetic problems with the core's modules
 * directly ({@code depth}, {@code likelihood}): Adam on minibatches drawn by a shuffle per pass,
 * the learning rate divided by 10 for the last third of the steps.
 *
 * @param steps the optimizer steps
 * @param batch the minibatch size; the data's size for full-batch steps
 * @param lr    Adam's learning rate for the first two thirds
 */
record FitLoop(int steps, int batch, double lr) {
    /** Trains {@code m} on inputs {@code x} [N, ...] and targets {@code y} [N, ...] under {@code loss}. */
    void train(Module m, Tensor x, Tensor y, Loss loss, Rng rng) {
        int n = x.size(0);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        m.train();
        Adam adam = new Adam(m.parameters(), Adam.Options.of(lr));
        int at = n;
        for (int s = 0; s < steps; s++) {
            if (s == steps * 2 / 3) {
                adam.setLr(lr / 10);
            }
            Tensor xb = x;
            Tensor yb = y;
            if (batch < n) {
                if (at + batch > n) {
                    rng.shuffle(order);
                    at = 0;
                }
                int[] idx = java.util.Arrays.copyOfRange(order, at, at + batch);
                at += batch;
                xb = x.indexSelect(0, idx);
                yb = y.indexSelect(0, idx);
            }
            adam.zeroGrad();
            loss.apply(m.forward(xb), yb).backward();
            adam.step();
        }
    }

    /** The module's outputs at {@code x} [N, ...], flat, in eval mode and without a graph. */
    static float[] evaluate(Module m, Tensor x) {
        m.eval();
        try (GradMode.Scope s = GradMode.noGrad()) {
            return m.forward(x).toArray();
        }
    }
}
