package dev.myelin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.model.bind.Source;
import dev.myelin.nn.Module;
import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every layer name of a config keeps: built at a sample shape it gives the stated
 * output shape and parameter/buffer counts, its state dict loads into a freshly built twin that
 * then computes the same outputs, eval mode leaves its buffers unchanged, and its resolved YAML
 * reads back to the same options. {@link #everyRegisteredLayerHasACase} fails when a layer is
 * registered without a case here.
 */
class LayerContractTest {
    private static final Source SRC = new Source("contract.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param yaml    the model entry, as JSON
     * @param in      one input sample's shape
     * @param out     the output sample's shape
     * @param params  trainable scalars
     * @param tensors parameter tensors
     * @param buffers buffer tensors
     */
    record Case(String name, String yaml, int[] in, int[] out, long params, int tensors, int buffers) {
        @Override
        public String toString() {
            return name + " " + yaml;
        }
    }

    private static Case c(String name, String yaml, int[] in, int[] out, long params, int tensors, int buffers) {
        return new Case(name, yaml, in, out, params, tensors, buffers);
    }

    private static int[] s(int... shape) {
        return shape;
    }

    static List<Case> cases() {
        return List.of(
                c("flatten", "\"flatten\"", s(2, 3, 4), s(24), 0, 0, 0),
                c("linear", "{\"linear\": {\"out\": 5}}", s(7), s(5), 40, 2, 0),
                c("linear", "{\"linear\": {\"out\": 5, \"bias\": false, \"weight_norm\": true}}", s(7), s(5), 40, 2, 0),
                c("batchnorm1d", "\"batchnorm1d\"", s(6), s(6), 12, 2, 3),
                c("batchnorm2d", "{\"batchnorm2d\": {\"momentum\": 0.5}}", s(3, 4, 5), s(3, 4, 5), 6, 2, 3),
                c("layernorm", "\"layernorm\"", s(3, 4, 5), s(3, 4, 5), 120, 2, 0),
                c("groupnorm", "{\"groupnorm\": {\"groups\": 3}}", s(6, 4, 4), s(6, 4, 4), 12, 2, 0),
                c("instancenorm1d", "\"instancenorm1d\"", s(3, 5), s(3, 5), 0, 0, 0),
                c("instancenorm2d", "{\"instancenorm2d\": {\"affine\": true, \"track_running_stats\": true}}",
                        s(3, 4, 4), s(3, 4, 4), 6, 2, 3),
                c("dropout", "{\"dropout\": {\"p\": 0.3}}", s(9), s(9), 0, 0, 0),
                c("dropout2d", "\"dropout2d\"", s(3, 4, 4), s(3, 4, 4), 0, 0, 0),
                c("alpha_dropout", "\"alpha_dropout\"", s(9), s(9), 0, 0, 0),
                c("dropconnect", "{\"dropconnect\": {\"out\": 4}}", s(6), s(4), 28, 2, 0),
                c("gaussian_noise", "{\"gaussian_noise\": {\"std\": 0.1}}", s(9), s(9), 0, 0, 0),
                c("highway", "\"highway\"", s(6), s(6), 84, 4, 0),
                c("relu", "\"relu\"", s(9), s(9), 0, 0, 0),
                c("sigmoid", "\"sigmoid\"", s(9), s(9), 0, 0, 0),
                c("tanh", "\"tanh\"", s(9), s(9), 0, 0, 0),
                c("softplus", "\"softplus\"", s(9), s(9), 0, 0, 0),
                c("leaky_relu", "{\"leaky_relu\": {\"negative_slope\": 0.2}}", s(9), s(9), 0, 0, 0),
                c("prelu", "\"prelu\"", s(9), s(9), 1, 1, 0),
                c("elu", "\"elu\"", s(9), s(9), 0, 0, 0),
                c("selu", "\"selu\"", s(9), s(9), 0, 0, 0),
                c("gelu", "\"gelu\"", s(9), s(9), 0, 0, 0),
                c("silu", "\"silu\"", s(9), s(9), 0, 0, 0),
                c("swish", "\"swish\"", s(9), s(9), 0, 0, 0),
                c("mish", "\"mish\"", s(9), s(9), 0, 0, 0),
                c("crelu", "\"crelu\"", s(9), s(18), 0, 0, 0),
                c("maxout", "{\"maxout\": {\"out\": 4}}", s(6), s(4), 56, 2, 0),
                c("maxout", "{\"maxout\": {\"out\": 4, \"pieces\": 3, \"init\": \"lecun_normal\"}}", s(6), s(4), 84, 2, 0),
                c("linear", "{\"linear\": {\"out\": 5, \"init\": {\"name\": \"kaiming_normal\", \"mode\": \"fan_out\"}}}",
                        s(7), s(5), 40, 2, 0),
                c("hardsigmoid", "\"hardsigmoid\"", s(9), s(9), 0, 0, 0),
                c("hardtanh", "\"hardtanh\"", s(9), s(9), 0, 0, 0),
                c("softmax", "\"softmax\"", s(9), s(9), 0, 0, 0),
                c("log_softmax", "{\"log_softmax\": {\"temperature\": 2}}", s(9), s(9), 0, 0, 0),
                c("conv2d", "{\"conv2d\": {\"out\": 4, \"kernel\": 3, \"padding\": 1}}", s(2, 5, 6), s(4, 5, 6),
                        76, 2, 0),
                c("conv2d", "{\"conv2d\": {\"out\": 4, \"kernel\": [3, 1], \"stride\": 2, \"groups\": 2,"
                        + " \"bias\": false}}", s(2, 5, 6), s(4, 2, 3), 12, 1, 0),
                c("conv2d", "{\"conv2d\": {\"out\": 4, \"kernel\": 3, \"init\": {\"name\": \"kaiming_normal\","
                        + " \"mode\": \"fan_out\", \"nonlinearity\": \"relu\"}}}", s(2, 5, 6), s(4, 3, 4), 76, 2, 0),
                c("maxpool2d", "{\"maxpool2d\": {\"kernel\": 2}}", s(3, 4, 6), s(3, 2, 3), 0, 0, 0),
                c("avgpool2d", "{\"avgpool2d\": {\"kernel\": 3, \"stride\": 1, \"padding\": 1}}", s(3, 4, 6),
                        s(3, 4, 6), 0, 0, 0),
                c("adaptive_avgpool2d", "{\"adaptive_avgpool2d\": {\"output\": [2, 3]}}", s(3, 4, 6), s(3, 2, 3),
                        0, 0, 0),
                c("global_avgpool", "\"global_avgpool\"", s(3, 4, 6), s(3), 0, 0, 0),
                c("resnet", "{\"resnet\": {\"widths\": [4, 8], \"blocks\": [1, 1]}}", s(3, 8, 8), s(8),
                        -1, -1, -1));
    }

    static Stream<Case> casesStream() {
        return cases().stream();
    }

    @Test
    void everyRegisteredLayerHasACase() {
        Set<String> covered = new HashSet<>();
        cases().forEach(c -> covered.add(c.name()));
        for (String name : Layers.names()) {
            assertTrue(covered.contains(name), "layer '" + name + "' is registered but has no contract case");
        }
    }

    private static LayerSpec parse(String json) throws Exception {
        JsonNode item = JSON.readTree(json);
        return Layers.parse(SRC, "model[1]", item);
    }

    private static Module build(LayerSpec spec, int[] in, long seed, int[] out) {
        LayerContext ctx = new LayerContext(SRC, 1, spec.name(), in, new Rng(seed), dev.myelin.nn.init.Initializer.DEFAULT, "linear");
        Module m = spec.build(ctx);
        if (out != null) {
            assertArrayEquals(out, ctx.shape(), "output sample shape");
        }
        return m;
    }

    private static Tensor input(int[] sample, long seed) {
        int[] shape = new int[sample.length + 1];
        shape[0] = 2;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return Tensor.randn(new Rng(seed), shape);
    }

    private static Map<String, float[]> copy(Map<String, Tensor> state) {
        Map<String, float[]> out = new LinkedHashMap<>();
        state.forEach((k, t) -> out.put(k, t.toArray()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("casesStream")
    void layerKeepsItsContract(Case c) throws Exception {
        LayerSpec spec = parse(c.yaml());
        Module m = build(spec, c.in(), 1, c.out());
        int[] batchOut = new int[c.out().length + 1];
        batchOut[0] = 2;
        System.arraycopy(c.out(), 0, batchOut, 1, c.out().length);
        Tensor x = input(c.in(), 7);
        try (var ignored = GradMode.noGrad()) {
            assertArrayEquals(batchOut, m.forward(x).shape(), "forward output shape");
        }
        if (c.params() >= 0) {
            assertEquals(c.params(), m.parameterCount(), "trainable scalars");
            assertEquals(c.tensors(), m.parameters().size(), "parameter tensors");
            assertEquals(c.buffers(), m.stateDict().size() - m.parameters().size(), "buffer tensors");
        }

        Module twin = build(parse(c.yaml()), c.in(), 99, null);
        twin.loadStateDict(m.stateDict(), true);
        m.eval();
        twin.eval();
        Map<String, float[]> before = copy(m.stateDict());
        try (var ignored = GradMode.noGrad()) {
            float[] a = m.forward(x).toArray();
            assertArrayEquals(a, twin.forward(x).toArray(), "a loaded twin computes the same outputs");
        }
        Map<String, float[]> after = copy(m.stateDict());
        for (String k : before.keySet()) {
            assertTrue(Arrays.equals(before.get(k), after.get(k)), "eval mode changed " + k);
        }

        JsonNode written = spec.toTree();
        assertEquals(written, parse(written.toString()).toTree(), "the resolved YAML reads back the same");
    }

    @Test
    void aLayersOwnInitFillsItsWeightAndTheModelsReachesLinearButNotConvLayers() throws Exception {
        var half = new dev.myelin.nn.init.Initializer.Constant(0.5);
        LayerSpec conv = parse("{\"conv2d\": {\"out\": 2, \"kernel\": 3, \"init\": {\"name\": \"constant\", \"val\": 0.25}}}");
        Module c = conv.build(new LayerContext(SRC, 1, "conv2d", s(1, 4, 4), new Rng(3), half, null));
        assertTrue(allEqual(c.namedParameters().get("weight").toArray(), 0.25f), "conv2d's own init");
        Module plainConv = parse("{\"conv2d\": {\"out\": 2, \"kernel\": 3}}")
                .build(new LayerContext(SRC, 1, "conv2d", s(1, 4, 4), new Rng(3), half, null));
        assertTrue(!allEqual(plainConv.namedParameters().get("weight").toArray(), 0.5f), "the model's init does not reach conv2d");
        Module lin = parse("{\"linear\": {\"out\": 3}}")
                .build(new LayerContext(SRC, 1, "linear", s(4), new Rng(3), half, null));
        assertTrue(allEqual(lin.namedParameters().get("weight").toArray(), 0.5f), "the model's init reaches linear");
        Module own = parse("{\"linear\": {\"out\": 3, \"init\": \"zeros\"}}")
                .build(new LayerContext(SRC, 1, "linear", s(4), new Rng(3), half, null));
        assertTrue(allEqual(own.namedParameters().get("weight").toArray(), 0f), "a layer's own init wins over the model's");
    }

    private static boolean allEqual(float[] a, float v) {
        for (float x : a) {
            if (x != v) {
                return false;
            }
        }
        return true;
    }
}
