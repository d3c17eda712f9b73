package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Conv2dSpec;
import dev.myelin.tensor.GradCheck;
import dev.myelin.tensor.Pool2dSpec;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The convolution and pooling layers as modules: gradient checks with respect to the input and
 * the parameters, PyTorch's initialization bounds and state-dict keys, output shapes, and the
 * errors a wrong input gets.
 */
class ConvLayersTest {
    private final Rng rng = new Rng(3);

    @Test
    void conv2dGradientsWithRespectToInputWeightAndBias() {
        for (Conv2dSpec spec : List.of(Conv2dSpec.of(1, 1, 1, 1), Conv2dSpec.of(2, 1, 1, 1),
                Conv2dSpec.of(1, 2, 2, 1), Conv2dSpec.of(1, 1, 1, 2))) {
            Conv2d conv = new Conv2d(4, 6, 3, 3, spec, true, rng.split("conv" + spec));
            Tensor x = Tensor.uniform(rng, -1f, 1f, 2, 4, 6, 5).requiresGrad(true);
            GradCheck.DEFAULT.check("Conv2d " + conv, t -> conv.forward(t[0]), x, conv.weight(), conv.bias());
        }
    }

    @Test
    void conv2dInitializationAndStateDictAreTorchs() {
        Conv2d conv = new Conv2d(8, 16, 3, 3, Conv2dSpec.of(1, 1, 1, 2), true, new Rng(0));
        assertEquals(List.of("weight", "bias"), List.copyOf(conv.stateDict().keySet()));
        assertArrayEquals(new int[] {16, 4, 3, 3}, conv.weight().shape());
        // fan_in = 8/2 · 3 · 3 = 36: weights and bias uniform in ±1/6, spread over most of it
        float bound = 1f / 6f;
        float max = 0f;
        for (float v : conv.weight().data()) {
            assertTrue(Math.abs(v) <= bound, "weight " + v + " outside ±1/6");
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0.9f * bound, "weights fill the range: largest |w| " + max);
        for (float v : conv.bias().data()) {
            assertTrue(Math.abs(v) <= bound, "bias " + v + " outside ±1/6");
        }
        assertEquals(16 * 4 * 9 + 16, conv.parameterCount());
        assertTrue(new Conv2d(1, 2, 1, 1, Conv2dSpec.defaults(), false, rng).stateDict().keySet().equals(java.util.Set.of("weight")));
    }

    @Test
    void poolingGradients() {
        Tensor x = Tensor.uniform(rng, -1f, 1f, 2, 3, 6, 5).requiresGrad(true);
        GradCheck.DEFAULT.check("AvgPool2d", t -> new AvgPool2d(3, 2, 1).forward(t[0]), x);
        GradCheck.DEFAULT.check("AdaptiveAvgPool2d", t -> new AdaptiveAvgPool2d(4, 3).forward(t[0]), x);
        GradCheck.DEFAULT.check("global average pooling", t -> AdaptiveAvgPool2d.global().forward(t[0]), x);
        Tensor distinct = Tensor.of(shuffledRamp(2 * 3 * 6 * 5), 2, 3, 6, 5).requiresGrad(true);
        GradCheck.DEFAULT.check("MaxPool2d", t -> new MaxPool2d(2).forward(t[0]), distinct);
    }

    private float[] shuffledRamp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.05f;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) (rng.nextDouble() * (i + 1));
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }

    @Test
    void outputShapesFollowTorchsFormulas() {
        assertArrayEquals(new int[] {32, 28, 28}, new Conv2d(1, 32, 3, 1, 1, rng).outputShape(new int[] {1, 28, 28}));
        assertArrayEquals(new int[] {8, 13, 13}, new Conv2d(3, 8, 3, 3, Conv2dSpec.of(2, 1, 2, 1), true, rng)
                .outputShape(new int[] {3, 28, 28}));
        assertArrayEquals(new int[] {32, 14, 14}, new MaxPool2d(2).outputShape(new int[] {32, 28, 28}));
        assertArrayEquals(new int[] {64, 3, 3}, new MaxPool2d(2).outputShape(new int[] {64, 7, 7}));
        assertArrayEquals(new int[] {4, 4, 4}, new AvgPool2d(3, 2, 1).outputShape(new int[] {4, 7, 8}));
        assertArrayEquals(new int[] {64, 1, 1}, AdaptiveAvgPool2d.global().outputShape(new int[] {64, 7, 7}));
        Tensor y = new Conv2d(1, 32, 3, 1, 1, rng).forward(Tensor.zeros(2, 1, 28, 28));
        assertArrayEquals(new int[] {2, 32, 28, 28}, y.shape());
    }

    @Test
    void wrongInputsGetErrorsThatSayWhatToDo() {
        Conv2d conv = new Conv2d(3, 8, 3, 1, 1, rng);
        String flat = assertThrows(IllegalArgumentException.class, () -> conv.outputShape(new int[] {784})).getMessage();
        assertTrue(flat.contains("expected samples [C, H, W]") && flat.contains("flattened"), flat);
        String channels = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(2, 1, 8, 8))).getMessage();
        assertTrue(channels.contains("expected input [N, 3, H, W], got [2, 1, 8, 8]"), channels);
        String big = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(1, 1, 5, 1, 0, rng).outputShape(new int[] {1, 3, 3})).getMessage();
        assertTrue(big.contains("Conv2d(1, 1, kernel_size=5x5") && big.contains("larger than the padded input 3x3"), big);
        String pool = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(4).outputShape(new int[] {8, 3, 3})).getMessage();
        assertTrue(pool.contains("MaxPool2d(kernel_size=4x4") && pool.contains("larger than the padded input 3"), pool);
        String pad = assertThrows(IllegalArgumentException.class, () -> Pool2dSpec.of(2, 2, 2)).getMessage();
        assertTrue(pad.contains("between 0 and half the kernel"), pad);
        String groups = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(3, 8, 3, 3, Conv2dSpec.of(1, 1, 1, 2), true, rng)).getMessage();
        assertTrue(groups.contains("groups=2 must divide"), groups);
    }
}
