package dev.myelin.train.regularize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.DataLoader;
import dev.myelin.data.Disc;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.Callback;
import dev.myelin.train.TrainContext;
import dev.myelin.train.Trainer;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** Each constraint's projection, and constraints holding after every optimizer step of a training run. */
class ConstraintsTest {
    @Test
    void maxNormRescalesOnlyRowsAboveTheBound() {
        Tensor w = Tensor.of(new float[] {3, 4, 0.6f, 0.8f}, 2, 2); // row norms 5 and 1
        new Constraint.MaxNorm(2).project(w);
        assertArrayEquals(new float[] {1.2f, 1.6f, 0.6f, 0.8f}, w.data(), 1e-6f);
    }

    @Test
    void unitNormNonNegativeAndBounds() {
        Tensor w = Tensor.of(new float[] {3, -4, 0, 0, 1, 2, 2, 1}, 2, 2, 2); // units of 4 values
        new Constraint.UnitNorm().project(w);
        assertArrayEquals(new float[] {0.6f, -0.8f, 0, 0, 1 / (float) Math.sqrt(10), 2 / (float) Math.sqrt(10),
            2 / (float) Math.sqrt(10), 1 / (float) Math.sqrt(10)}, w.data(), 1e-6f);
        Tensor v = Tensor.of(new float[] {-1, 0.5f, 3}, 3);
        new Constraint.NonNegative().project(v);
        assertArrayEquals(new float[] {0, 0.5f, 3}, v.data());
        Tensor u = Tensor.of(new float[] {-1, 0.5f, 3}, 3);
        new Constraint.Bounds(-0.25, 1).project(u);
        assertArrayEquals(new float[] {-0.25f, 0.5f, 1}, u.data());
    }

    /**
     * SGD with a large learning rate pushes weights far out; a callback added after the
     * constraints checks, after every one of the 60 steps, that each weight row has norm ≤ 0.5
     * and every weight lies in [0, 0.3] (max-norm, then non-negativity, then bounds), and that
     * biases were left alone.
     */
    @Test
    void constraintsHoldAfterEveryStep() {
        Rng rng = new Rng(81);
        Sequential m = new Sequential(new Linear(2, 16, rng.split("a")), Activation.relu(), new Linear(16, 2, rng.split("b")));
        Constraints constraints = new Constraints().add(new Constraint.MaxNorm(0.5))
                .add(new Constraint.NonNegative()).add(new Constraint.Bounds(-1, 0.3));
        Trainer t = new Trainer(m, Loss.crossEntropy(), new Sgd(m.parameters(), Sgd.Options.of(2.0)))
                .addCallback(constraints)
                .addCallback(afterEachStep((model, step) -> {
                    for (Tensor w : ParamSelection.WEIGHTS.select(model).values()) {
                        for (int r = 0; r < w.size(0); r++) {
                            double sq = 0;
                            for (int c = 0; c < w.size(1); c++) {
                                sq += w.get(r, c) * w.get(r, c);
                            }
                            assertTrue(Math.sqrt(sq) <= 0.5 * (1 + 1e-6), "step " + step + ": row norm " + Math.sqrt(sq));
                        }
                    }
                    for (Tensor w : ParamSelection.WEIGHTS.select(model).values()) {
                        for (float v : w.data()) {
                            assertTrue(v >= 0 && v <= 0.3f, "step " + step + ": weight " + v);
                        }
                    }
                }));
        t.fit(new DataLoader(Disc.generate(600, rng.split("data")), 30, rng.split("shuffle")), null, 3);
        assertEquals(60, t.step());
        float maxBias = 0;
        for (float v : ((Linear) m.children().get("0")).bias().data()) {
            maxBias = Math.max(maxBias, Math.abs(v));
        }
        assertTrue(maxBias > 0.3f, "biases are not constrained: max |b| = " + maxBias);
    }

    private static Callback afterEachStep(BiConsumer<Module, Integer> check) {
        return new Callback() {
            private int step;

            @Override
            public void onBatchEnd(TrainContext ctx, int epoch, int batch, int batches, double loss, int samples) {
                check.accept(ctx.model(), ++step);
            }
        };
    }
}
