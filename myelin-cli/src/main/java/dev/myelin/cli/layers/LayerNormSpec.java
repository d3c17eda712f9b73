package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.LayerNorm;
import dev.myelin.nn.Module;
import java.util.Arrays;

/**
 * Layer normalization over the last dimensions of each sample: {@code normalized_shape}
 * (optional; default the sample's whole shape, e.g. [256] after a linear layer), eps 1e-5,
 * elementwise_affine true, as PyTorch's {@code nn.LayerNorm}.
 */
public record LayerNormSpec(int[] normalizedShape, double eps, boolean elementwiseAffine) implements LayerSpec {
    private static final String EXAMPLE = "normalized_shape: [256] (the sample's last dimensions)";

    static LayerNormSpec parse(String name, Fields f) {
        int[] shape = shape(f, f.raw("normalized_shape"));
        double eps = f.number("eps", 1e-5, "eps: 1.0e-5");
        f.check("eps", eps, eps > 0, "a number > 0", "eps: 1.0e-5");
        return new LayerNormSpec(shape, eps, f.bool("elementwise_affine", true));
    }

    /** A positive integer or a list of them; null when absent. */
    private static int[] shape(Fields f, JsonNode n) {
        if (n == null) {
            return null;
        }
        String expected = "a positive integer or a list of positive integers";
        if (n.isInt() && n.asInt() > 0) {
            return new int[] {n.asInt()};
        }
        if (!n.isArray() || n.isEmpty()) {
            throw f.error("normalized_shape", expected, n, "Write e.g. " + EXAMPLE + ", or leave it out");
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).isInt() || n.get(i).asInt() < 1) {
                throw f.error("normalized_shape", expected, n, "Write e.g. " + EXAMPLE + ", or leave it out");
            }
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    @Override
    public String name() {
        return "layernorm";
    }

    @Override
    public ObjectNode options() {
        ObjectNode o = LayerSpec.obj();
        if (normalizedShape != null) {
            ArrayNode a = o.putArray("normalized_shape");
            Arrays.stream(normalizedShape).forEach(a::add);
        }
        return o.put("eps", eps).put("elementwise_affine", elementwiseAffine);
    }

    @Override
    public Module build(LayerContext ctx) {
        int[] sample = ctx.shape();
        int[] ns = normalizedShape == null ? sample : normalizedShape;
        int k = ns.length;
        if (k > sample.length || !Arrays.equals(Arrays.copyOfRange(sample, sample.length - k, sample.length), ns)) {
            throw ctx.error("a sample whose last " + (k == 1 ? "dimension is" : k + " dimensions are")
                    + " normalized_shape " + Arrays.toString(ns), "Set normalized_shape to the sample's last dimensions, e.g. "
                    + Arrays.toString(sample) + ", or leave it out");
        }
        return new LayerNorm(ns, eps, elementwiseAffine);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerNormSpec s && Arrays.equals(normalizedShape, s.normalizedShape) && eps == s.eps
                && elementwiseAffine == s.elementwiseAffine;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(normalizedShape) * 31 + Double.hashCode(eps) + (elementwiseAffine ? 1 : 0);
    }

    @Override
    public String toString() {
        return "LayerNormSpec[normalizedShape=" + Arrays.toString(normalizedShape) + ", eps=" + eps
                + ", elementwiseAffine=" + elementwiseAffine + "]";
    }
}
