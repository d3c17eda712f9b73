package dev.myelin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.ArrayDataset;
import dev.myelin.data.Disc;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Ensemble;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bootstrap samples from the seed, and the ensemble's prediction as the mean of the members'. */
class BaggingTest {

    @Test
    void bootstrapIsReproducibleFromTheSeedAndDiffersPerMember() {
        Rng root = new Rng(42);
        int[] a = Bagging.bootstrapIndices(1000, Bagging.memberRng(root, 0));
        int[] b = Bagging.bootstrapIndices(1000, Bagging.memberRng(new Rng(42), 0));
        int[] c = Bagging.bootstrapIndices(1000, Bagging.memberRng(root, 1));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        // with replacement: about 1 − 1/e = 63.2% distinct (sd ≈ 1.5 points for n = 1000)
        long distinct = Arrays.stream(a).distinct().count();
        assertTrue(distinct > 580 && distinct < 680, distinct + " distinct of 1000");
        assertTrue(Arrays.stream(a).allMatch(i -> i >= 0 && i < 1000));
    }

    @Test
    void bootstrapDatasetHoldsTheDrawnSamples() {
        Rng rng = new Rng(1);
        ArrayDataset d = Disc.generate(50, rng);
        ArrayDataset s = Bagging.bootstrap(d, new Rng(9), 3);
        int[] idx = Bagging.bootstrapIndices(50, Bagging.memberRng(new Rng(9), 3));
        assertEquals(50, s.size());
        float[] got = new float[2];
        float[] want = new float[2];
        for (int j = 0; j < 50; j++) {
            s.features(j, got, 0);
            d.features(idx[j], want, 0);
            assertArrayEquals(want, got);
            assertEquals(d.label(idx[j]), s.label(j));
        }
    }

    private static List<Module> members(int k, int out, Rng rng) {
        List<Module> ms = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            ms.add(new Sequential(new Linear(3, 8, rng.split("a" + i)), Activation.tanh(),
                    new Linear(8, out, rng.split("b" + i))));
        }
        return ms;
    }

    @Test
    void ensembleProbabilitiesAreTheMeanOfTheMembers() {
        Rng rng = new Rng(2);
        List<Module> ms = members(3, 4, rng);
        Tensor x = Tensor.randn(rng, 5, 3).mul(3f);
        Ensemble e = new Ensemble(ms, Ensemble.Output.CLASSES);
        float[] got = e.forward(x).softmax(1).data();
        float[] mean = new float[got.length];
        for (Module m : ms) {
            float[] p = m.forward(x).softmax(1).data();
            for (int i = 0; i < p.length; i++) {
                mean[i] += p[i] / ms.size();
            }
        }
        assertArrayEquals(mean, got, 1e-6f);
        // cross-entropy on the ensemble output is the NLL of the averaged probabilities
        Tensor y = Tensor.of(new float[] {0, 1, 2, 3, 0}, 5);
        double nll = 0;
        for (int i = 0; i < 5; i++) {
            nll -= Math.log(mean[i * 4 + (int) y.data()[i]]) / 5;
        }
        assertEquals(nll, Loss.crossEntropy().apply(e.forward(x), y).item(), 1e-5);
        assertEquals("0.0.weight", e.stateDict().keySet().iterator().next());
    }

    @Test
    void binaryAndRegressionEnsemblesAverageProbabilitiesAndValues() {
        Rng rng = new Rng(3);
        List<Module> ms = members(4, 1, rng);
        Tensor x = Tensor.randn(rng, 6, 3).mul(4f);
        float[] bin = new Ensemble(ms, Ensemble.Output.BINARY).forward(x).sigmoid().data();
        float[] reg = new Ensemble(ms, Ensemble.Output.VALUES).forward(x).data();
        float[] pMean = new float[6];
        float[] vMean = new float[6];
        for (Module m : ms) {
            Tensor o = m.forward(x);
            for (int i = 0; i < 6; i++) {
                pMean[i] += o.sigmoid().data()[i] / 4;
                vMean[i] += o.data()[i] / 4;
            }
        }
        assertArrayEquals(pMean, bin, 1e-5f);
        assertArrayEquals(vMean, reg, 1e-5f);
    }
}
