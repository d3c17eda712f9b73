package dev.myelin.model.bind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.options.Size2;

/**
 * Reads a {@link Size2} written as one integer for both axes ({@code kernel: 3}) or as a list
 * {@code [height, width]} ({@code kernel: [3, 1]}), as PyTorch's {@code int or tuple}; writes one
 * integer when both sides are equal.
 */
public final class Size2Codec implements Binder.Codec<Size2> {
    @Override
    public Size2 read(Binder binder, Source src, String path, JsonNode n) {
        if (isInt(n)) {
            return Size2.of(n.asInt());
        }
        if (n.isArray() && n.size() == 2 && isInt(n.get(0)) && isInt(n.get(1))) {
            return new Size2(n.get(0).asInt(), n.get(1).asInt());
        }
        String key = path.substring(path.lastIndexOf('.') + 1);
        throw src.error(path, expected(), Source.describe(n), "Write e.g. " + key + ": 3 or " + key + ": [3, 1]");
    }

    @Override
    public JsonNode write(Binder binder, Size2 v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return v.h() == v.w() ? f.numberNode(v.h()) : f.arrayNode().add(v.h()).add(v.w());
    }

    @Override
    public String expected() {
        return "an integer or a list [height, width] of integers";
    }

    @Override
    public String example() {
        return "3";
    }

    private static boolean isInt(JsonNode n) {
        return n.isNumber() && n.canConvertToExactIntegral() && n.canConvertToInt();
    }
}
