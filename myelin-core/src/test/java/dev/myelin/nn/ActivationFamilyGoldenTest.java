package dev.myelin.nn;

import dev.myelin.io.Golden;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The activation family replays PyTorch (golden/activation_family.json, written by
 * tools/golden/make_golden_act.py): outputs and gradients of sum(y * upstream) for every
 * element-wise activation with its options, including the gradients at the kinks (0 for the
 * rectifiers, ±3 for hard sigmoid, the bounds of hard tanh), CReLU, PReLU with one and with per-channel
 * slopes (gradient of the slopes too), and maxout.
 */
class ActivationFamilyGoldenTest {
    private static final Golden FILE = Golden.load("activation_family.json");

    static List<Integer> elementwiseCases() {
        return IntStream.range(0, FILE.get("elementwise").get("cases").size()).boxed().toList();
    }

    @ParameterizedTest
    @MethodSource("elementwiseCases")
    void elementwiseActivationsMatchPyTorch(int index) {
        Golden e = FILE.get("elementwise");
        Golden c = e.get("cases").get(index);
        Golden o = c.get("options");
        Activation act = switch (c.get("name").asString()) {
            case "leaky_relu" -> Activation.leakyRelu(o.get("negative_slope").asDouble());
            case "elu" -> Activation.elu(o.get("alpha").asDouble());
            case "selu" -> Activation.selu();
            case "gelu" -> Activation.gelu(o.get("approximate").asString());
            case "silu" -> Activation.silu();
            case "mish" -> Activation.mish();
            case "hardsigmoid" -> Activation.hardsigmoid();
            case "hardtanh" -> Activation.hardtanh(o.get("min_val").asDouble(), o.get("max_val").asDouble());
            default -> throw new AssertionError("no activation for " + c.get("name").asString());
        };
        Tensor x = e.get("input").tensor().requiresGrad(true);
        Tensor y = act.forward(x);
        y.backward(e.get("upstream").tensor(), false);
        FILE.tolerance().assertClose(act + " output", c.get("output").tensor(), y);
        FILE.tolerance().assertClose(act + " grad", c.get("grad").tensor(), x.grad());
    }

    @Test
    void creluConcatenatesBothHalvesAsPyTorchOps() {
        Golden c = FILE.get("crelu");
        Tensor x = c.get("input").tensor().requiresGrad(true);
        Tensor y = Activation.crelu().forward(x);
        y.backward(c.get("upstream").tensor(), false);
        FILE.tolerance().assertClose("crelu output", c.get("output").tensor(), y);
        FILE.tolerance().assertClose("crelu grad", c.get("grad").tensor(), x.grad());
    }

    static List<Integer> preluCases() {
        return IntStream.range(0, FILE.get("prelu").size()).boxed().toList();
    }

    @ParameterizedTest
    @MethodSource("preluCases")
    void preluMatchesPyTorchIncludingTheSlopeGradient(int index) {
        Golden c = FILE.get("prelu").get(index);
        PRelu m = new PRelu((int) c.get("num_parameters").asLong(), 0.25);
        m.weight().copyFrom(c.get("weight").tensor());
        Tensor x = c.get("input").tensor().requiresGrad(true);
        Tensor y = m.forward(x);
        y.backward(c.get("upstream").tensor(), false);
        FILE.tolerance().assertClose(m + " output", c.get("output").tensor(), y);
        FILE.tolerance().assertClose(m + " grad input", c.get("grad_input").tensor(), x.grad());
        FILE.tolerance().assertClose(m + " grad weight", c.get("grad_weight").tensor(), m.weight().grad());
    }

    @Test
    void maxoutIsTheMaxOverEachUnitsPieces() {
        Golden c = FILE.get("maxout");
        Tensor w = c.get("weight").tensor();
        int pieces = (int) c.get("pieces").asLong();
        Maxout m = new Maxout(w.size(1), w.size(0) / pieces, pieces, new Rng(0));
        m.weight().copyFrom(w);
        m.bias().copyFrom(c.get("bias").tensor());
        Tensor x = c.get("input").tensor().requiresGrad(true);
        Tensor y = m.forward(x);
        y.backward(c.get("upstream").tensor(), false);
        FILE.tolerance().assertClose("maxout output", c.get("output").tensor(), y);
        FILE.tolerance().assertClose("maxout grad input", c.get("grad_input").tensor(), x.grad());
        FILE.tolerance().assertClose("maxout grad weight", c.get("grad_weight").tensor(), m.weight().grad());
        FILE.tolerance().assertClose("maxout grad bias", c.get("grad_bias").tensor(), m.bias().grad());
        List<String> keys = new ArrayList<>(m.stateDict().keySet());
        org.junit.jupiter.api.Assertions.assertEquals(List.of("weight", "bias"), keys);
    }
}
