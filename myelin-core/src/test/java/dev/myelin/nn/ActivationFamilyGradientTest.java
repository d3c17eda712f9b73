package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.GradCheck;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Central-difference gradient checks of every new activation layer, with respect to its input
 * and its parameters (PReLU's slopes, maxout's weight and bias), away from the kinks where the
 * derivative jumps; plus the shapes and errors a user meets.
 */
class ActivationFamilyGradientTest {
    private static final GradCheck GC = GradCheck.DEFAULT;
    private final Rng rng = new Rng(21);

    /** Values in ±[0.05, 2.5] (plus an offset), so no element sits within ε of a kink. */
    private Tensor awayFromKinks(float offset, int... shape) {
        Tensor t = Tensor.uniform(rng, 0.05f, 2.5f, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (rng.nextDouble() < 0.5 ? -d[i] : d[i]) + offset;
        }
        return t.requiresGrad(true);
    }

    @Test
    void elementwiseActivations() {
        List<Activation> acts = List.of(Activation.leakyRelu(0.01), Activation.leakyRelu(0.3), Activation.elu(1.0),
                Activation.elu(0.5), Activation.selu(), Activation.gelu("none"), Activation.gelu("tanh"),
                Activation.silu(), Activation.mish(), Activation.hardtanh(-1, 1), Activation.hardtanh(-2.4, 0.6),
                Activation.crelu());
        for (Activation a : acts) {
            GC.check(a.toString(), t -> a.forward(t[0]), awayFromKinks(0, 4, 5));
        }
        // hard sigmoid's kinks are at ±3: keep x/6 + 1/2 away from 0 and 1
        GC.check("Hardsigmoid", t -> Activation.hardsigmoid().forward(t[0].mul(2.2f)), awayFromKinks(0, 4, 5));
    }

    @Test
    void preluWithRespectToInputAndSlopes() {
        PRelu one = new PRelu();
        GC.check("PReLU(1)", t -> one.forward(t[0]), awayFromKinks(0, 3, 4), one.weight());
        PRelu perChannel = new PRelu(3, 0.1);
        perChannel.weight().copyFrom(Tensor.of(new float[] {0.1f, -0.4f, 0.7f}, 3));
        GC.check("PReLU(3) on [N, C]", t -> perChannel.forward(t[0]), awayFromKinks(0, 4, 3), perChannel.weight());
        GC.check("PReLU(3) on [N, C, L]", t -> perChannel.forward(t[0]), awayFromKinks(0, 2, 3, 4), perChannel.weight());
    }

    @Test
    void maxoutWithRespectToInputWeightAndBias() {
        Maxout m = new Maxout(5, 3, 4, rng.split("maxout"));
        GC.check("Maxout", t -> m.forward(t[0]), awayFromKinks(0, 6, 5), m.weight(), m.bias());
    }

    @Test
    void shapesAndDefaults() {
        Tensor x = Tensor.randn(rng, 2, 3);
        assertArrayEquals(new int[] {2, 6}, Activation.crelu().forward(x).shape());
        assertArrayEquals(new int[] {7, 4}, new Maxout(3, 4, 2, rng).forward(Tensor.randn(rng, 7, 3)).shape());
        PRelu p = new PRelu();
        assertEquals(0.25f, p.weight().item());
        assertEquals(List.of("weight"), List.copyOf(p.stateDict().keySet()));
        assertEquals("PReLU(num_parameters=1)", p.toString());
        assertEquals(0.2f * -3f, Activation.leakyRelu(0.2).forward(Tensor.of(new float[] {-3f}, 1)).item(), 1e-7);
    }

    @Test
    void badInputNamesTheLayerWhatItExpectedAndWhatItGot() {
        PRelu p = new PRelu(4, 0.25);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.forward(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("PReLU(num_parameters=4)") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activation.crelu().forward(Tensor.zeros(5)));
        assertTrue(e.getMessage().contains("CReLU") && e.getMessage().contains("[5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Maxout(3, 2, 2, rng).forward(Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().contains("Maxout(3, 2, pieces=2)") && e.getMessage().contains("[4, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Maxout(3, 2, 1, rng));
        assertTrue(e.getMessage().contains("pieces 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activation.hardtanh(1, -1));
        assertTrue(e.getMessage().contains("min_val < max_val"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Activation.gelu("erf"));
        assertTrue(e.getMessage().contains("'none' or 'tanh'") && e.getMessage().contains("erf"), e.getMessage());
    }
}
