package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.GradCheck;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** DropConnect masks single weights in training, uses the expected weights in evaluation, and keeps Linear's keys. */
class DropConnectTest {
    private static DropConnect layer(double p, DropConnect.Mode mode, long seed) {
        return new DropConnect(new Linear(6, 4, new Rng(seed)), p, mode, new Rng(seed + 1));
    }

    @Test
    void evaluationIsThePlainLinearLayerAndTheKeysAreLinears() {
        Linear linear = new Linear(6, 4, new Rng(41));
        DropConnect dc = new DropConnect(linear, 0.5, DropConnect.Mode.PER_BATCH, new Rng(42));
        Tensor x = Tensor.randn(new Rng(43), 3, 6);
        dc.eval();
        assertArrayEquals(linear.forward(x).data(), dc.forward(x).data());
        assertEquals(List.of("weight", "bias"), List.copyOf(dc.stateDict().keySet()));
        assertEquals(linear.parameterCount(), dc.parameterCount());
    }

    /** Averaged over 20,000 masks, the training output is the evaluation output (each mask is unbiased). */
    @Test
    void theTrainingOutputIsUnbiased() {
        DropConnect dc = layer(0.5, DropConnect.Mode.PER_BATCH, 44);
        Tensor x = Tensor.randn(new Rng(45), 2, 6);
        int draws = 20_000;
        double[] mean = new double[8];
        for (int k = 0; k < draws; k++) {
            float[] y = dc.forward(x).data();
            for (int i = 0; i < 8; i++) {
                mean[i] += y[i] / (double) draws;
            }
        }
        dc.eval();
        float[] expected = dc.forward(x).data();
        for (int i = 0; i < 8; i++) {
            // per draw, y_i − b has variance Σ_j w_j² x_j² p/(1−p) ≤ ~6 here; SE ≤ √(6/20000) ≈ 0.017
            assertEquals(expected[i], mean[i], 0.07, "output " + i);
        }
    }

    @Test
    void gradientsReachOnlyKeptWeightsAndTheInputThroughThem() {
        DropConnect dc = layer(0.5, DropConnect.Mode.PER_BATCH, 46);
        Tensor keep = Tensor.bernoulli(new Rng(47), 0.5, 4, 6);
        Tensor x = Tensor.randn(new Rng(48), 3, 6).requiresGrad(true);
        dc.applyMask(x, keep).sum().backward();
        for (int i = 0; i < 24; i++) {
            if (keep.data()[i] == 0f) {
                assertEquals(0f, dc.weight().grad().data()[i], 0f, "dropped weight " + i);
            } else {
                assertNotEquals(0f, dc.weight().grad().data()[i], "kept weight " + i);
            }
        }
        GradCheck.DEFAULT.check("DropConnect", t -> dc.applyMask(t[0], keep),
                Tensor.randn(new Rng(49), 3, 6).requiresGrad(true), dc.weight(), dc.bias());
    }

    /** Per sample, two copies of the same input row see different masks; per batch, the same. */
    @ParameterizedTest
    @EnumSource(DropConnect.Mode.class)
    void perSampleMasksDifferBetweenSamples(DropConnect.Mode mode) {
        DropConnect dc = layer(0.5, mode, 50);
        Tensor row = Tensor.randn(new Rng(51), 1, 6);
        Tensor x = Tensor.concat(List.of(row, row), 0);
        float[] y = dc.forward(x).data();
        boolean same = java.util.Arrays.equals(java.util.Arrays.copyOfRange(y, 0, 4), java.util.Arrays.copyOfRange(y, 4, 8));
        assertEquals(mode == DropConnect.Mode.PER_BATCH, same, mode + ": rows equal");
        Tensor in = Tensor.randn(new Rng(52), 3, 6).requiresGrad(true);
        dc.forward(in).sum().backward();
        assertTrue(in.grad() != null && dc.weight().grad() != null, "gradients flow in " + mode);
    }

    @Test
    void wrongInputSizeAndBadPAreClearErrors() {
        DropConnect dc = layer(0.5, DropConnect.Mode.PER_SAMPLE, 53);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dc.forward(Tensor.ones(2, 5)));
        assertTrue(e.getMessage().contains("[N, 6]") && e.getMessage().contains("[2, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> layer(1.5, DropConnect.Mode.PER_BATCH, 1));
    }
}
