package dev.myelin.model.bind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.model.bind.Binder;
import dev.myelin.model.bind.Source;
import dev.myelin.optim.GradClipping;
import dev.myelin.options.OptionException;

/** Reads a p-norm's p as a number or {@code inf} (as PyTorch's {@code float('inf')}); writes it back so. */
final class NormTypeCodec implements Binder.Codec<GradClipping.NormType> {
    @Override
    public GradClipping.NormType read(Binder binder, Source src, String path, JsonNode node) {
        if (node.isTextual() && (node.asText().equalsIgnoreCase("inf") || node.asText().equalsIgnoreCase(".inf"))) {
            return new GradClipping.NormType(Double.POSITIVE_INFINITY);
        }
        if (node.isNumber() && Double.isInfinite(node.asDouble()) && node.asDouble() > 0) {
            return new GradClipping.NormType(Double.POSITIVE_INFINITY);
        }
        if (!node.isNumber() && !(node.isTextual() && node.asText().trim().matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?"))) {
            throw src.error(path, expected(), Source.describe(node), "Write e.g. norm_type: 2 or norm_type: inf");
        }
        double p = Binder.number(src, path, node);
        try {
            return new GradClipping.NormType(p);
        } catch (OptionException e) {
            throw src.error(path, e.expected(), e.found(), "Write e.g. norm_type: 2 or norm_type: inf");
        }
    }

    @Override
    public JsonNode write(Binder binder, GradClipping.NormType value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return Double.isInfinite(value.p()) ? f.textNode("inf") : f.numberNode(value.p());
    }

    @Override
    public String expected() {
        return "a number >= 1 or inf";
    }

    @Override
    public String example() {
        return "2";
    }
}
