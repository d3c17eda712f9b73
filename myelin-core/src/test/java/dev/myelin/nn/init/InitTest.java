package dev.myelin.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.nn.Linear;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Initializers follow torch.nn.init: fans of 2-D and 4-D weights, calculate_gain, the Xavier
 * and Kaiming bounds, and the standard deviations they promise.
 *
 * <p>Empirical standard deviations are checked on 8192 to 16384 samples: the relative standard
 * error of a sample std is about 0.45/√n for a uniform and 0.71/√n for a normal (under 0.8%
 * here), so a 4% tolerance is over 5 standard errors, while a wrong fan or gain (a factor of
 * √2 or more) is far outside it.
 */
class InitTest {
    private static final double STD_RTOL = 0.04;

    @Test
    void fansOf2dAnd4dWeights() {
        assertArrayEquals(new int[] {128, 64}, Init.fans(Tensor.zeros(64, 128)), "[out, in]");
        // [out, in, kh, kw]: the receptive field multiplies both fans.
        assertArrayEquals(new int[] {8 * 15, 16 * 15}, Init.fans(Tensor.zeros(16, 8, 3, 5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.fans(Tensor.zeros(7)));
        assertTrue(e.getMessage().contains("[7]"), e.getMessage());
    }

    @Test
    void gainsAreCalculateGains() {
        assertEquals(1.0, Init.gain("linear", 0), 1e-12);
        assertEquals(1.0, Init.gain("sigmoid", 0), 1e-12);
        assertEquals(5.0 / 3, Init.gain("tanh", 0), 1e-12);
        assertEquals(Math.sqrt(2), Init.gain("relu", 0), 1e-12);
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.gain("leaky_relu", 0.01), 1e-12);
        assertEquals(Math.sqrt(1.0 / 3), Init.gain("leaky_relu", Math.sqrt(5)), 1e-12, "Linear's default");
        assertEquals(0.75, Init.gain("selu", 0), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.gain("gelu", 0));
        assertTrue(e.getMessage().contains("gelu"), e.getMessage());
    }

    @Test
    void xavierUniformStaysInItsBoundWithTheExpectedStd() {
        Tensor w = Init.xavierUniform(Tensor.zeros(64, 128), 5.0 / 3, new Rng(1));
        double bound = 5.0 / 3 * Math.sqrt(6.0 / (64 + 128));
        assertUniform(w, bound);
    }

    @Test
    void xavierNormalHasTheExpectedStd() {
        Tensor w = Init.xavierNormal(Tensor.zeros(64, 128), 1.0, new Rng(2));
        assertMoments(w, Math.sqrt(2.0 / (64 + 128)));
    }

    @Test
    void kaimingUniformUsesTheChosenFanOfA4dWeight() {
        int fanIn = 8 * 9;
        int fanOut = 32 * 9;
        Tensor in = Init.kaimingUniform(Tensor.zeros(32, 8, 3, 3), 0, Init.FanMode.FAN_IN, "relu", new Rng(3));
        assertUniform(in, Math.sqrt(2) * Math.sqrt(3.0 / fanIn));
        Tensor out = Init.kaimingUniform(Tensor.zeros(32, 8, 3, 3), 0, Init.FanMode.FAN_OUT, "relu", new Rng(3));
        assertUniform(out, Math.sqrt(2) * Math.sqrt(3.0 / fanOut));
    }

    @Test
    void kaimingNormalHasStdGainOverSqrtFan() {
        Tensor w = Init.kaimingNormal(Tensor.zeros(128, 96), 0, Init.FanMode.FAN_IN, "relu", new Rng(4));
        assertMoments(w, Math.sqrt(2.0 / 96));
        Tensor t = Init.kaimingNormal(Tensor.zeros(128, 96), 0, Init.FanMode.FAN_OUT, "tanh", new Rng(4));
        assertMoments(t, 5.0 / 3 / Math.sqrt(128));
    }

    /** PyTorch's Linear default: weight and bias in U(−1/√in, 1/√in). */
    @Test
    void linearDefaultInitIsPyTorchs() {
        Linear linear = new Linear(100, 120, new Rng(5));
        assertUniform(linear.weight(), 1 / Math.sqrt(100));
        for (float b : linear.bias().data()) {
            assertTrue(Math.abs(b) <= 1 / Math.sqrt(100), "bias " + b);
        }
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        assertArrayEquals(Init.xavierUniform(Tensor.zeros(4, 5), 1, new Rng(6)).data(),
                Init.xavierUniform(Tensor.zeros(4, 5), 1, new Rng(6)).data());
    }

    /** Every |w| within the bound, the extremes near it, and std = bound/√3. */
    private static void assertUniform(Tensor w, double bound) {
        double max = 0;
        for (float v : w.data()) {
            assertTrue(Math.abs(v) <= bound, v + " outside ±" + bound);
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0.98 * bound, "max |w| " + max + " should approach the bound " + bound);
        assertMoments(w, bound / Math.sqrt(3));
    }

    /** Mean within 5 standard errors of 0, std within STD_RTOL of {@code std}. */
    private static void assertMoments(Tensor w, double std) {
        double sum = 0;
        double sq = 0;
        for (float v : w.data()) {
            sum += v;
            sq += (double) v * v;
        }
        int n = w.numel();
        double mean = sum / n;
        double sampleStd = Math.sqrt(sq / n - mean * mean);
        assertEquals(0, mean, 5 * std / Math.sqrt(n), "mean");
        assertEquals(std, sampleStd, STD_RTOL * std, "std");
    }
}
