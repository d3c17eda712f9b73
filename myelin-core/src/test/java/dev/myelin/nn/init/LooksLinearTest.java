package dev.myelin.nn.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.nn.Activation;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Looks-linear initialization (Balduzzi et al. 2017): a deep CReLU network whose layers after a
 * CReLU are [W₀, −W₀] computes, at initialization, exactly the affine map of its W₀ and biases,
 * for any input; with orthogonal W₀ and zero biases it preserves the input's norm.
 */
class LooksLinearTest {
    private final Rng rng = new Rng(13);

    @Test
    void aLooksLinearCreluNetworkIsItsLinearMapAtInitialization() {
        int in = 6;
        int width = 16;
        int depth = 8;
        Linear[] lin = new Linear[depth];
        lin[0] = new Linear(in, width, rng.split("l0"));
        Init.orthogonal(lin[0].weight(), 1.0, rng.split("w0"));
        Sequential model = buildCrelu(lin, in, width, depth);
        Tensor x = Tensor.randn(rng.split("x"), 10, in).mul(3f);

        assertClose(linearMap(lin, x), model.forward(x), 1e-4f);
        // without the mirror the same network is far from that map
        Init.orthogonal(lin[3].weight(), 1.0, rng.split("not mirrored"));
        assertTrue(maxAbsDiff(linearMap(lin, x), model.forward(x)) > 0.1);
    }

    /** x through the affine maps of W₀ (the first half of each mirrored weight) and the biases. */
    private static Tensor linearMap(Linear[] lin, Tensor x) {
        Tensor h = x;
        for (int l = 0; l < lin.length; l++) {
            Tensor w = lin[l].weight();
            h = Tensor.linear(h, l == 0 ? w : w.slice(1, 0, w.size(1) / 2), lin[l].bias());
        }
        return h;
    }

    @Test
    void withZeroBiasesOrthogonalLayersPreserveTheNorm() {
        int width = 12;
        Linear[] lin = new Linear[5];
        lin[0] = new Linear(width, width, rng.split("m0"));
        Init.orthogonal(lin[0].weight(), 1.0, rng.split("o0"));
        Sequential model = buildCrelu(lin, width, width, 5);
        for (Linear l : lin) {
            l.bias().fill(0f);
        }
        Tensor x = Tensor.randn(rng.split("x2"), 4, width);
        Tensor y = model.forward(x);
        for (int i = 0; i < 4; i++) {
            assertEquals(norm(x.slice(0, i, i + 1)), norm(y.slice(0, i, i + 1)), 1e-4, "row " + i);
        }
    }

    @Test
    void theWeightIsMirrored() {
        Tensor w = Init.looksLinear(Tensor.zeros(3, 8), 1.0, rng);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(w.get(i, j), -w.get(i, j + 4));
            }
        }
    }

    @Test
    void anOddInputWidthIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Init.looksLinear(Tensor.zeros(3, 5), 1.0, rng));
        assertTrue(e.getMessage().contains("[3, 5]") && e.getMessage().contains("crelu"), e.getMessage());
    }

    /** lin[0] given; lin[1..] become Linear(2·width, width) (last: width) with looks-linear weights after a CReLU. */
    private Sequential buildCrelu(Linear[] lin, int in, int width, int depth) {
        java.util.List<dev.myelin.nn.Module> layers = new java.util.ArrayList<>();
        layers.add(lin[0]);
        for (int l = 1; l < depth; l++) {
            lin[l] = new Linear(2 * width, width, rng.split("l" + l));
            Init.looksLinear(lin[l].weight(), 1.0, rng.split("w" + l));
            layers.add(Activation.crelu());
            layers.add(lin[l]);
        }
        return new Sequential(layers);
    }

    private static double norm(Tensor t) {
        double s = 0;
        for (float v : t.data()) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        double m = 0;
        for (int i = 0; i < a.numel(); i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }

    private static void assertClose(Tensor want, Tensor got, float tol) {
        assertEquals(want.numel(), got.numel());
        for (int i = 0; i < want.numel(); i++) {
            assertEquals(want.data()[i], got.data()[i], tol * Math.max(1, Math.abs(want.data()[i])), "element " + i);
        }
    }
}
