package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.kernel.Parallel;
import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Behaviour of the normalization layers beyond the PyTorch replays: what eval mode uses,
 * thread-count independence of the fused path on a large image batch, and error messages that
 * name the layer, the expected shape and the shape received.
 */
class NormLayersTest {
    private final Rng rng = new Rng(3);

    @Test
    void withoutRunningStatisticsEvalModeNormalizesWithTheBatch() {
        BatchNorm2d bn = new BatchNorm2d(3, 1e-5, 0.1, true, false);
        Tensor x = Tensor.uniform(rng, -2f, 5f, 4, 3, 2, 2);
        float[] train = bn.forward(x).toArray();
        bn.eval();
        assertArrayEquals(train, bn.forward(x).toArray(), "eval with track_running_stats=false");
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.stateDict().keySet()));
    }

    @Test
    void withRunningStatisticsEvalModeDoesNotDependOnTheBatch() {
        BatchNorm2d bn = new BatchNorm2d(2);
        bn.forward(Tensor.uniform(rng, -2f, 5f, 4, 2, 3, 3));
        bn.eval();
        Tensor x = Tensor.uniform(rng, -2f, 5f, 3, 2, 2, 2);
        Tensor first = bn.forward(x.slice(0, 0, 1));
        assertArrayEquals(first.toArray(), bn.forward(x).slice(0, 0, 1).toArray(), 1e-6f,
                "a sample's output is the same alone and within a batch");
    }

    /** Inference takes the fused x·s + t pass; it gives the same bits as the broadcasting ops it replaces. */
    @Test
    void evalWithoutGradFusesTheScaleAndShiftToTheSameNumbers() {
        for (Tensor x : List.of(Tensor.uniform(rng, -2f, 5f, 6, 4), Tensor.uniform(rng, -2f, 5f, 6, 4, 5),
                Tensor.uniform(rng, -2f, 5f, 5, 4, 3, 7), Tensor.uniform(rng, -2f, 5f, 130, 301))) {
            // [130, 301]: rows of vector lanes and a tail, split across threads
            NormBase bn = x.dim() == 4 ? new BatchNorm2d(x.size(1)) : new BatchNorm1d(x.size(1));
            bn.forward(Tensor.uniform(rng, -1f, 3f, x.shape())); // running statistics away from 0 and 1
            bn.weight().data()[1] = -1.5f;
            bn.bias().data()[2] = 0.25f;
            bn.eval();
            float[] broadcast = bn.forward(x).toArray(); // grad mode on: x.mul(s).add(t)
            float[] fused;
            try (GradMode.Scope s = GradMode.noGrad()) {
                fused = bn.forward(x).toArray();
            }
            assertArrayEquals(broadcast, fused, "eval of " + java.util.Arrays.toString(x.shape()));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Tensor.channelScaleShift(Tensor.ones(2, 3), Tensor.ones(3), Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("GradMode.noGrad()"), e.getMessage());
    }

    @Test
    void largeImageBatchIsTheSameOnOneThreadAndManyAndMatchesTheFormula() {
        Tensor x = Tensor.uniform(rng, -1f, 3f, 8, 16, 24, 24);
        Tensor up = Tensor.uniform(rng, -1f, 1f, x.shape());
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] one = forwardBackward(x, up);
            Parallel.setThreads(4);
            float[][] many = forwardBackward(x, up);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i], many[i], "result " + i + " is bit-identical on 1 and 4 threads");
            }
            assertClose(reference(x.data(), 8, 16, 24 * 24), one[0], 2e-5);
        } finally {
            Parallel.setThreads(threads);
        }
    }

    /** Output, grad of x, grad of γ and β of a training-mode BatchNorm2d(16) with γ = 1.5, β = −0.5. */
    private static float[][] forwardBackward(Tensor x0, Tensor upstream) {
        BatchNorm2d bn = new BatchNorm2d(16);
        bn.weight().fill(1.5f);
        bn.bias().fill(-0.5f);
        Tensor x = x0.copy().requiresGrad(true);
        Tensor y = bn.forward(x);
        y.backward(upstream, false);
        return new float[][] {y.toArray(), x.grad().toArray(), bn.weight().grad().toArray(), bn.bias().grad().toArray(),
                bn.runningVar().toArray()};
    }

    /** 1.5·(x − μ)/√(σ² + ε) − 0.5 per channel, in double precision. */
    private static float[] reference(float[] x, int n, int c, int l) {
        float[] out = new float[x.length];
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < l; j++) {
                    s += x[(i * c + ch) * l + j];
                }
            }
            double mu = s / (n * l);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < l; j++) {
                    double d = x[(i * c + ch) * l + j] - mu;
                    sq += d * d;
                }
            }
            double inv = 1 / Math.sqrt(sq / (n * l) + 1e-5);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < l; j++) {
                    int k = (i * c + ch) * l + j;
                    out[k] = (float) (1.5 * (x[k] - mu) * inv - 0.5);
                }
            }
        }
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, double tol) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, "element " + i);
        }
    }

    @Test
    void batchNorm2dOnAFlatOrWrongChannelInputNamesTheLayerAndBothShapes() {
        BatchNorm2d bn = new BatchNorm2d(8);
        assertMessage(() -> bn.forward(Tensor.zeros(4, 784)), "BatchNorm2d(8)", "[N, 8, H, W]", "[4, 784]");
        assertMessage(() -> bn.forward(Tensor.zeros(4, 3, 5, 5)), "BatchNorm2d(8)", "[N, 8, H, W]", "[4, 3, 5, 5]");
        assertMessage(() -> new InstanceNorm1d(4).forward(Tensor.zeros(2, 4)), "InstanceNorm1d(4", "[N, 4, L]", "[2, 4]");
        assertMessage(() -> new InstanceNorm2d(2).forward(Tensor.zeros(2, 2, 1, 1)), "InstanceNorm2d(2",
                "more than 1 spatial element", "[2, 2, 1, 1]");
    }

    @Test
    void layerNormWithAnotherTrailingShapeNamesBoth() {
        assertMessage(() -> new LayerNorm(3, 4).forward(Tensor.zeros(2, 4, 3)), "LayerNorm([3, 4]", "[*, 3, 4]",
                "[2, 4, 3]");
        assertMessage(() -> new LayerNorm(10).forward(Tensor.zeros(5)), "LayerNorm([10]", "[*, 10]", "[5]");
    }

    @Test
    void groupNormChecksGroupsAndChannels() {
        assertMessage(() -> new GroupNorm(4, 6), "num_groups=4", "num_channels=6", "divisible");
        assertMessage(() -> new GroupNorm(2, 6).forward(Tensor.zeros(2, 4, 3)), "GroupNorm(2, 6", "[N, 6, *]",
                "[2, 4, 3]");
    }

    @Test
    void weightNormNamesAMissingParameter() {
        Linear lin = new Linear(3, 2, rng);
        assertMessage(() -> new WeightNorm(lin, "kernel", 0), "Linear", "'kernel'", "[weight, bias]");
        new WeightNorm(lin);
        assertMessage(() -> new WeightNorm(lin), "already reparameterized");
    }

    @Test
    void weightNormStartsAtTheSameFunctionAndTrainsGAndV() {
        Linear lin = new Linear(4, 3, rng);
        Tensor x = Tensor.uniform(rng, -1f, 1f, 5, 4);
        float[] before = lin.forward(x).toArray();
        WeightNorm wn = new WeightNorm(lin);
        assertArrayEquals(before, wn.forward(x).toArray(), 1e-6f, "g = ‖w‖, v = w at the start");
        assertEquals(List.of("bias", "weight_g", "weight_v"), List.copyOf(wn.namedParameters().keySet()));
        Sequential seq = new Sequential(wn, Activation.relu());
        assertEquals(List.of("0.bias", "0.weight_g", "0.weight_v"), List.copyOf(seq.stateDict().keySet()));
        seq.eval();
        assertTrue(!lin.isTraining(), "eval() reaches the wrapped module");
    }

    private static void assertMessage(Supplier<Object> action, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::get);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
        }
    }

    private static void assertMessage(Runnable action, String... parts) {
        assertMessage(() -> {
            action.run();
            return null;
        }, parts);
    }
}
