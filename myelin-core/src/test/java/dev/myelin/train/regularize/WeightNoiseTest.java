package dev.myelin.train.regularize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.data.ArrayDataset;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Disc;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.Autograd;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.Callback;
import dev.myelin.train.TrainContext;
import dev.myelin.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Weight noise: the forward and backward pass see θ + n with n ~ N(0, σ²), the update is
 * applied to the clean θ with the gradient taken at θ + n, and no noise is left afterwards.
 */
class WeightNoiseTest {
    private static final double SIGMA = 0.05;

    @Test
    void gradientAtNoisyWeightsUpdatesTheCleanWeights() {
        Rng rng = new Rng(91);
        Sequential m = new Sequential(new Linear(2, 64, rng.split("a")), Activation.tanh(), new Linear(64, 2, rng.split("b")));
        ArrayDataset data = Disc.generate(64, rng.split("data"));
        DataLoader loader = new DataLoader(data, 64); // one batch, in order
        Tensor x = loader.iterator().next().x();
        Tensor y = loader.iterator().next().y();
        Tensor w0 = ((Linear) m.children().get("0")).weight();
        Tensor bias0 = ((Linear) m.children().get("0")).bias();
        double lr = 0.1;
        List<float[]> noisyW = new ArrayList<>();
        List<float[]> cleanW = new ArrayList<>();
        List<float[]> noisyBias = new ArrayList<>();
        List<float[]> expectedGrad = new ArrayList<>();
        List<float[]> after = new ArrayList<>();
        List<float[]> afterBias = new ArrayList<>();
        Callback spy = new Callback() {
            @Override
            public void onBatchBegin(TrainContext ctx, int epoch, int batch, int batches) {
                noisyW.add(w0.toArray());
                noisyBias.add(bias0.toArray());
                // the gradient at the weights as they are now, computed independently
                expectedGrad.add(Autograd.grad(Loss.crossEntropy().apply(m.forward(x), y), List.of(w0), null, false)
                        .get(0).toArray());
            }

            @Override
            public void onBeforeStep(TrainContext ctx) {
                cleanW.add(w0.toArray());
                assertArrayEquals(expectedGrad.get(expectedGrad.size() - 1), w0.grad().data(), 1e-6f,
                        "the gradient is taken at the noisy weights");
            }

            @Override
            public void onBatchEnd(TrainContext ctx, int epoch, int batch, int batches, double loss, int samples) {
                after.add(w0.toArray());
                afterBias.add(bias0.toArray());
            }
        };
        Trainer t = new Trainer(m, Loss.crossEntropy(), new Sgd(m.parameters(), Sgd.Options.of(lr)))
                .addCallback(new WeightNoise(SIGMA, ParamSelection.WEIGHTS, rng.split("noise")))
                .addCallback(spy);
        t.fit(loader, null, 3);

        assertEquals(3, after.size());
        double sq = 0;
        int n = 0;
        for (int s = 0; s < 3; s++) {
            float[] clean = s == 0 ? cleanW.get(0) : after.get(s - 1);
            assertArrayEquals(clean, cleanW.get(s), "step " + (s + 1) + ": the clean weights are restored before the update");
            for (int i = 0; i < clean.length; i++) {
                double d = noisyW.get(s)[i] - clean[i];
                sq += d * d;
                n++;
                float stepped = (float) (clean[i] - lr * expectedGrad.get(s)[i]);
                assertEquals(stepped, after.get(s)[i], 1e-6f, "step " + (s + 1) + ": SGD from the clean weight " + i);
            }
        }
        assertEquals(SIGMA, Math.sqrt(sq / n), 0.1 * SIGMA, "noise standard deviation over " + n + " values");
        assertArrayEquals(after.get(2), w0.data(), "no noise left after training");
        for (int s = 1; s < 3; s++) {
            assertArrayEquals(afterBias.get(s - 1), noisyBias.get(s), "step " + (s + 1) + ": biases get no noise");
        }
    }
}
