package dev.myelin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.nn.Activation;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Monte Carlo dropout: unbiased mean, zero spread without dropout, batch norm in eval, seeded, modes restored. */
class McDropoutTest {

    /** A model with batch norm whose running statistics are far from any batch's (so a train-mode BN would show). */
    private static Sequential model(double p, Rng rng) {
        BatchNorm1d bn = new BatchNorm1d(8);
        bn.stateDict().get("running_mean").fill(-2f);
        bn.stateDict().get("running_var").fill(4f);
        return new Sequential(new Linear(4, 8, rng.split("a")), bn, Activation.relu(), new Dropout(p, rng.split("d")),
                new Linear(8, 3, rng.split("b")));
    }

    /**
     * Dropout before a linear layer is unbiased: E[W (m ⊙ h)/(1 − p)] = W h. The mean of T = 4000
     * raw outputs lies within 4 standard errors (std/√T, per element) of the deterministic output.
     */
    @Test
    void meanApproachesTheDeterministicOutput() {
        Rng rng = new Rng(1);
        Sequential m = model(0.3, rng);
        Tensor x = Tensor.randn(rng, 6, 4);
        Tensor det = new Trainer(m, null, null).predict(x);
        int t = 4000;
        McPrediction mc = McDropout.predict(m, x, t, new Rng(2), UnaryOperator.identity());
        double maxSpread = 0;
        for (int i = 0; i < det.numel(); i++) {
            double se = mc.std().data()[i] / Math.sqrt(t);
            assertEquals(det.data()[i], mc.mean().data()[i], 4 * se + 1e-6, "output " + i);
            maxSpread = Math.max(maxSpread, mc.std().data()[i]);
        }
        assertTrue(maxSpread > 0.01, "dropout makes the passes differ: max std " + maxSpread);
    }

    /** With p = 0 every pass is the eval-mode pass: the spread is exactly 0 and the mean is softmax of predict. */
    @Test
    void zeroSpreadWithoutDropoutAndBatchNormStaysInEval() {
        Rng rng = new Rng(3);
        Sequential m = model(0.0, rng);
        Tensor x = Tensor.randn(rng, 5, 4);
        float[] runningMean = m.stateDict().get("1.running_mean").data().clone();
        McPrediction mc = McDropout.predict(m, x, 30, new Rng(4));
        Tensor expected = new Trainer(m, null, null).predict(x).softmax(1);
        assertArrayEquals(expected.data(), mc.mean().data(), 1e-7f, "BatchNorm used its running statistics");
        for (float s : mc.std().data()) {
            assertEquals(0f, s);
        }
        assertArrayEquals(runningMean, m.stateDict().get("1.running_mean").data(), "running statistics untouched");
        assertEquals(30, mc.samples());
        for (double h : mc.predictiveEntropy()) {
            assertTrue(h > 0 && h <= Math.log(3) + 1e-9, "entropy " + h);
        }
    }

    @Test
    void seededAndLeavesModesAndTrainingStreamAlone() {
        Rng rng = new Rng(5);
        Sequential m = model(0.5, rng);
        Dropout d = (Dropout) m.layers().get(3);
        Rng own = d.rng();
        Tensor x = Tensor.randn(rng, 7, 4);
        m.train();
        m.layers().get(1).eval();
        McPrediction a = McDropout.predict(m, x, 10, new Rng(6));
        McPrediction b = McDropout.predict(m, x, 10, new Rng(6));
        McPrediction c = McDropout.predict(m, x, 10, new Rng(7));
        assertArrayEquals(a.mean().data(), b.mean().data());
        assertArrayEquals(a.std().data(), b.std().data());
        assertFalse(java.util.Arrays.equals(a.mean().data(), c.mean().data()), "another seed, other masks");
        assertSame(own, d.rng(), "the dropout layer has its own stream back");
        assertTrue(m.isTraining());
        assertFalse(m.layers().get(1).isTraining(), "modes restored one by one");
        assertTrue(d.isTraining());
        float sum = 0;
        for (float v : a.mean().data()) {
            sum += v;
        }
        assertEquals(7f, sum, 1e-4f, "each sample's mean probabilities sum to 1");
        assertEquals(7, a.predictedClasses().length);
        assertNotEquals(0.0, a.meanSpread()[0]);
    }

    @Test
    void modelWithoutDropoutIsAClearError() {
        Rng rng = new Rng(8);
        Sequential m = new Sequential(new Linear(4, 3, rng));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> McDropout.predict(m, Tensor.randn(rng, 2, 4), 5, rng));
        assertTrue(e.getMessage().contains("needs a dropout layer"), e.getMessage());
    }

    @Test
    void singleLogitGivesTwoClassProbabilities() {
        Tensor p = McDropout.probabilities(Tensor.of(new float[] {0f, 2f}, 2, 1));
        assertArrayEquals(new float[] {0.5f, 0.5f, 1 - 0.880797f, 0.880797f}, p.data(), 1e-6f);
    }
}
