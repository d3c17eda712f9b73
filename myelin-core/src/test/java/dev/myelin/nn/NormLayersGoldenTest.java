package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.io.Golden;
import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BatchNorm2d, LayerNorm, GroupNorm and InstanceNorm1d/2d replay torch.nn's layers
 * (golden/norm_layers.json, tools/golden/make_golden_norm.py): state-dict keys in PyTorch's
 * order, training outputs and buffers after every step, gradients w.r.t. input and parameters
 * at step 1, and the eval-mode output.
 */
class NormLayersGoldenTest {
    private static final Golden FILE = Golden.load("norm_layers.json");

    static Stream<String> cases() {
        Golden cases = FILE.get("cases");
        return IntStream.range(0, cases.size()).mapToObj(i -> cases.get(i).get("name").asString());
    }

    private static Golden caseNamed(String name) {
        Golden cases = FILE.get("cases");
        for (int i = 0; i < cases.size(); i++) {
            if (cases.get(i).get("name").asString().equals(name)) {
                return cases.get(i);
            }
        }
        throw new IllegalArgumentException(name);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesPyTorch(String name) {
        Golden c = caseNamed(name);
        Golden.Tolerance tol = FILE.tolerance();
        Module layer = build(c.get("layer").asString(), c.get("options"));
        Map<String, Tensor> state = layer.stateDict();
        assertEquals(strings(c.get("state_keys")), new ArrayList<>(state.keySet()), name + ": state-dict keys");
        Golden params = c.get("params");
        layer.namedParameters().forEach((k, p) -> p.copyFrom(params.get(k).tensor()));

        Golden steps = c.get("steps");
        for (int k = 0; k < steps.size(); k++) {
            Golden step = steps.get(k);
            String at = name + " step " + (k + 1) + ": ";
            Tensor x = step.get("input").tensor().requiresGrad(k == 0);
            Tensor y = layer.forward(x);
            tol.assertClose(at + "output", step.get("output").tensor(), y);
            Golden buffers = step.get("buffers");
            for (String key : state.keySet()) {
                if (buffers.has(key)) {
                    tol.assertClose(at + key, buffers.get(key).tensor(), state.get(key));
                }
            }
            if (k == 0) {
                checkGradients(name, tol, c.get("grad_step1"), layer, x, y);
            }
        }
        layer.eval();
        try (GradMode.Scope s = GradMode.noGrad()) {
            tol.assertClose(name + " eval output", c.get("eval").get("output").tensor(),
                    layer.forward(c.get("eval").get("input").tensor()));
        }
    }

    private static void checkGradients(String name, Golden.Tolerance tol, Golden g, Module layer, Tensor x, Tensor y) {
        y.backward(g.get("upstream").tensor(), false);
        tol.assertClose(name + " grad_input", g.get("grad_input").tensor(), x.grad());
        layer.namedParameters().forEach((k, p) ->
                tol.assertClose(name + " grad " + k, g.get("grad").get(k).tensor(), p.grad()));
    }

    /** The layer named by torch's class name, from torch's constructor arguments. */
    static Module build(String layer, Golden o) {
        return switch (layer) {
            case "BatchNorm2d" -> new BatchNorm2d(integer(o, "num_features"), o.get("eps").asDouble(),
                    o.get("momentum").asDouble(), o.get("affine").asBoolean(), o.get("track_running_stats").asBoolean());
            case "InstanceNorm1d" -> new InstanceNorm1d(integer(o, "num_features"), o.get("eps").asDouble(),
                    o.get("momentum").asDouble(), o.get("affine").asBoolean(), o.get("track_running_stats").asBoolean());
            case "InstanceNorm2d" -> new InstanceNorm2d(integer(o, "num_features"), o.get("eps").asDouble(),
                    o.get("momentum").asDouble(), o.get("affine").asBoolean(), o.get("track_running_stats").asBoolean());
            case "LayerNorm" -> new LayerNorm(ints(o.get("normalized_shape")), o.get("eps").asDouble(),
                    o.get("elementwise_affine").asBoolean());
            case "GroupNorm" -> new GroupNorm(integer(o, "num_groups"), integer(o, "num_channels"),
                    o.get("eps").asDouble(), o.get("affine").asBoolean());
            default -> throw new IllegalArgumentException("no layer " + layer);
        };
    }

    private static int integer(Golden o, String key) {
        return (int) o.get(key).asLong();
    }

    private static int[] ints(Golden list) {
        return IntStream.range(0, list.size()).map(i -> (int) list.get(i).asLong()).toArray();
    }

    private static List<String> strings(Golden list) {
        return IntStream.range(0, list.size()).mapToObj(i -> list.get(i).asString()).toList();
    }
}
