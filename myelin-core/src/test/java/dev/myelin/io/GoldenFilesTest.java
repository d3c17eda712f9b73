package dev.myelin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The golden files from tools/golden/make_golden.py are well formed and mean what the script's
 * schema says. (The layers, losses and optimizers replay them in their own tests.)
 */
class GoldenFilesTest {
    @ParameterizedTest
    @ValueSource(strings = {"linear_cross_entropy.json", "batchnorm1d.json", "batchnorm1d_3d.json",
            "sgd_momentum.json", "sgd_nesterov.json", "adam.json", "activations.json", "losses.json",
            "norm_layers.json", "weight_norm.json"})
    void everyFileHasAVersionATolerancesAndConsistentTensors(String name) {
        Golden g = Golden.load(name);

        assertFalse(g.get("torch_version").asString().isEmpty());
        assertTrue(g.tolerance().atol() > 0 && g.tolerance().atol() <= 1e-4, name);
        assertTrue(g.tolerance().rtol() > 0 && g.tolerance().rtol() <= 1e-3, name);
        List<String> tensors = new ArrayList<>();
        g.forEachTensor((path, t) -> {
            t.tensor(); // throws when the data do not fill the shape
            tensors.add(path);
        });
        assertTrue(tensors.size() > 3, name + ": " + tensors);
    }

    /** Logits and the mean cross-entropy recomputed in double precision from the file's inputs. */
    @Test
    void linearCrossEntropyIsWhatTheSchemaSays() {
        Golden g = Golden.load("linear_cross_entropy.json");
        float[] x = g.get("x").tensor().data();
        Tensor w = g.get("weight").tensor();
        float[] b = g.get("bias").tensor().data();
        long[] target = g.get("target").longs();
        int out = w.shape()[0];
        int in = w.shape()[1];
        int n = target.length;

        float[] logits = new float[n * out];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int k = 0; k < in; k++) {
                    s += (double) x[i * in + k] * w.data()[o * in + k];
                }
                logits[i * out + o] = (float) s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int o = 0; o < out; o++) {
                sum += Math.exp(logits[i * out + o] - max);
            }
            loss += (max + Math.log(sum) - logits[i * out + (int) target[i]]) / n;
        }

        g.tolerance().assertClose("logits", g.get("logits").tensor(), Tensor.of(logits, n, out));
        g.tolerance().assertClose("loss", g.get("loss").tensor(), Tensor.of(new float[] {(float) loss}));
    }

    /** PyTorch's SGD: the momentum buffer starts at the gradient, then buf = m*buf + (1-d)*g. */
    @Test
    void sgdMomentumReplaysWithPyTorchsRule() {
        Golden file = Golden.load("sgd_momentum.json");
        for (int c = 0; c < file.get("cases").size(); c++) {
            Golden g = file.get("cases").get(c);
            double lr = g.get("options").get("lr").asDouble();
            double m = g.get("options").get("momentum").asDouble();
            double d = g.get("options").get("dampening").asDouble();
            double wd = g.get("options").get("weight_decay").asDouble();
            float[] p = g.get("param_init").tensor().data().clone();
            float[] buf = null;
            for (int step = 0; step < g.get("grads").size(); step++) {
                float[] grad = g.get("grads").get(step).tensor().data();
                float[] next = buf == null ? new float[p.length] : buf;
                for (int i = 0; i < p.length; i++) {
                    float gi = (float) (grad[i] + wd * p[i]);
                    next[i] = buf == null ? gi : (float) (m * buf[i] + (1 - d) * gi);
                    p[i] -= (float) (lr * next[i]);
                }
                buf = next;
                Tensor want = g.get("params").get(step).tensor();
                file.tolerance().assertClose(g.get("name").asString() + " step " + (step + 1), want,
                        Tensor.of(p.clone(), want.shape()));
            }
        }
    }

    @Test
    void batchNormRecordsThreeStepsOfRunningStatistics() {
        Golden g = Golden.load("batchnorm1d.json");
        Golden steps = g.get("steps");

        assertEquals(3, steps.size());
        for (int s = 0; s < 3; s++) {
            assertEquals(s + 1, steps.get(s).get("num_batches_tracked").asLong());
        }
        // running_mean after step 1 = 0.9 * 0 + 0.1 * (batch mean of step 1's input)
        Tensor x = steps.get(0).get("input").tensor();
        int n = x.shape()[0];
        int ch = x.shape()[1];
        float[] mean = new float[ch];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < ch; c++) {
                mean[c] += 0.1f * x.data()[i * ch + c] / n;
            }
        }
        g.tolerance().assertClose("running_mean", steps.get(0).get("running_mean").tensor(), Tensor.of(mean, ch));
    }
}
