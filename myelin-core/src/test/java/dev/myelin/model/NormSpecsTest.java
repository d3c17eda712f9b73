package dev.myelin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.model.bind.ConfigException;
import dev.myelin.model.bind.Source;
import dev.myelin.nn.BatchNorm2d;
import dev.myelin.nn.InstanceNorm2d;
import dev.myelin.nn.LayerNorm;
import dev.myelin.nn.Module;
import dev.myelin.tensor.Rng;
import org.junit.jupiter.api.Test;

/** The normalization entries of a model list on image samples [C, H, W], which the CLI tests' data do not have. */
class NormSpecsTest {
    private static final Source SRC = new Source("cnn.yaml");

    private static LayerSpec parse(String json) throws Exception {
        JsonNode item = new ObjectMapper().readTree(json);
        return Layers.parse(SRC, "model[2]", item);
    }

    private static Module build(LayerSpec spec, int... sample) {
        LayerContext ctx = new LayerContext(SRC, 2, spec.name(), sample, new Rng(1));
        Module m = spec.build(ctx);
        assertArrayEquals(sample, ctx.shape(), "normalization keeps the sample shape");
        return m;
    }

    @Test
    void imageNormsBuildWithPyTorchDefaults() throws Exception {
        BatchNorm2d bn = assertInstanceOf(BatchNorm2d.class, build(parse("{\"batchnorm2d\": {}}"), 3, 8, 8));
        assertEquals(3, bn.numFeatures());
        assertTrue(bn.tracksRunningStats() && bn.weight() != null);
        InstanceNorm2d in = assertInstanceOf(InstanceNorm2d.class, build(parse("\"instancenorm2d\""), 3, 8, 8));
        assertTrue(!in.tracksRunningStats() && in.weight() == null, "instance norm: affine and running stats off");
        LayerNorm ln = assertInstanceOf(LayerNorm.class, build(parse("{\"layernorm\": {}}"), 3, 8, 8));
        assertArrayEquals(new int[] {3, 8, 8}, ln.normalizedShape(), "default: the whole sample");
        LayerNorm last = assertInstanceOf(LayerNorm.class,
                build(parse("{\"layernorm\": {\"normalized_shape\": [8, 8]}}"), 3, 8, 8));
        assertArrayEquals(new int[] {8, 8}, last.normalizedShape());
        build(parse("{\"groupnorm\": {\"groups\": 3}}"), 3, 8, 8);
    }

    @Test
    void wrongSampleShapesNameTheLayerTheExpectedAndTheFoundShape() throws Exception {
        assertError(parse("{\"batchnorm1d\": {}}"), new int[] {3, 8, 8},
                "field 'model[2].batchnorm1d': expected a sample of shape [C] or [C, L] for batchnorm1d,"
                        + " found a sample of shape [3, 8, 8]. Use batchnorm2d for images");
        assertError(parse("\"batchnorm2d\""), new int[] {784},
                "field 'model[2].batchnorm2d': expected a sample of shape [C, H, W] for batchnorm2d,"
                        + " found a sample of shape [784]");
        assertError(parse("\"instancenorm2d\""), new int[] {16, 1, 1},
                "expected a sample of shape [C, H, W] with H·W > 1 for instancenorm2d, found a sample of shape [16, 1, 1]");
        assertError(parse("{\"layernorm\": {\"normalized_shape\": [28, 28]}}"), new int[] {1, 28, 27},
                "field 'model[2].layernorm': expected a sample whose last 2 dimensions are normalized_shape [28, 28],"
                        + " found a sample of shape [1, 28, 27]");
    }

    private static void assertError(LayerSpec spec, int[] sample, String part) {
        ConfigException e = assertThrows(ConfigException.class, () -> build(spec, sample));
        assertTrue(e.getMessage().startsWith("cnn.yaml: "), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void resolvedOptionsReadBackEqual() throws Exception {
        for (String json : new String[] {"{\"layernorm\": {\"normalized_shape\": 5}}", "\"layernorm\"",
                "{\"groupnorm\": {\"groups\": 2, \"affine\": false}}", "{\"instancenorm1d\": {\"affine\": true}}",
                "{\"linear\": {\"out\": 4, \"weight_norm\": true}}"}) {
            LayerSpec spec = parse(json);
            assertEquals(spec, Layers.parse(SRC, "model[2]", spec.toTree()), json);
        }
    }
}
