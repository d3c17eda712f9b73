package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.GradCheck;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Dropout2d keeps or zeroes whole channels, scales kept ones by 1/(1 − p), and is the identity in evaluation. */
class Dropout2dTest {
    @Test
    void eachChannelIsKeptWholeAndScaledOrZeroedWhole() {
        double p = 0.4;
        int n = 50;
        int c = 40;
        Tensor x = Tensor.uniform(new Rng(1), 0.5f, 2f, n, c, 3, 5).requiresGrad(true);
        Tensor upstream = Tensor.randn(new Rng(2), n, c, 3, 5);
        Tensor y = new Dropout2d(p, new Rng(3)).forward(x);
        y.backward(upstream, false);

        float scale = 1f / (1f - (float) p);
        int keptChannels = 0;
        for (int ch = 0; ch < n * c; ch++) {
            boolean kept = y.data()[ch * 15] != 0f;
            keptChannels += kept ? 1 : 0;
            for (int i = ch * 15; i < ch * 15 + 15; i++) {
                float want = kept ? x.data()[i] * scale : 0f;
                assertEquals(want, y.data()[i], 1e-6f * Math.abs(want), "channel " + ch + " element " + i);
                assertEquals(kept ? upstream.data()[i] * scale : 0f, x.grad().data()[i], 1e-6f, "gradient " + i);
            }
        }
        int total = n * c;
        assertEquals(1 - p, (double) keptChannels / total, 4 * Math.sqrt(p * (1 - p) / total), "kept fraction");
    }

    @Test
    void threeDimensionalInputDropsChannelsOfSequences() {
        Tensor x = Tensor.ones(20, 30, 7);
        float[] y = new Dropout2d(0.5, new Rng(4)).forward(x).data();
        for (int ch = 0; ch < 600; ch++) {
            for (int l = 1; l < 7; l++) {
                assertEquals(y[ch * 7], y[ch * 7 + l], 0f, "channel " + ch + " is all kept or all dropped");
            }
        }
        int zero = 0;
        for (int ch = 0; ch < 600; ch++) {
            zero += y[ch * 7] == 0f ? 1 : 0;
        }
        assertTrue(zero > 200 && zero < 400, "about half the channels dropped: " + zero);
    }

    @Test
    void evaluationIsTheIdentityAndFeatureVectorsAreRejected() {
        Dropout2d d = new Dropout2d(0.5, new Rng(5));
        Tensor x = Tensor.randn(new Rng(6), 2, 3, 4, 4);
        d.eval();
        assertSame(x, d.forward(x));
        d.train();
        assertTrue(!java.util.Arrays.equals(x.data(), d.forward(x).data()), "training drops");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.forward(Tensor.ones(8, 10)));
        assertTrue(e.getMessage().contains("[N, C, H, W]") && e.getMessage().contains("[8, 10]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout2d(1.0, new Rng(1)));
    }

    @Test
    void sameSeedSameMaskAndTheGradientChecks() {
        Tensor x = Tensor.ones(4, 6, 3);
        assertArrayEquals(new Dropout2d(0.5, new Rng(7)).forward(x).data(), new Dropout2d(0.5, new Rng(7)).forward(x).data());
        Tensor keep = Tensor.of(new float[] {1, 0, 1, 1, 0, 1}, 2, 3);
        Tensor in = Tensor.randn(new Rng(8), 2, 3, 2, 2).requiresGrad(true);
        GradCheck.DEFAULT.check("Dropout2d", t -> Dropout2d.applyMask(t[0], keep, 0.3), in);
    }
}
