package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;

/**
 * A size per spatial axis (height, width), written as one integer for both ({@code kernel: 3})
 * or as a list of two ({@code kernel: [3, 1]}), as PyTorch's {@code int or tuple} arguments.
 */
record Pair(int h, int w) {

    /** Reads {@code key}; {@code dflt} null makes it required. */
    static Pair read(Fields f, String key, Integer dflt, int min, String example) {
        JsonNode n = f.raw(key);
        String expected = "an integer >= " + min + " or a list [height, width] of them";
        if (n == null) {
            if (dflt == null) {
                throw f.error(key, expected, null, "Add it, e.g. " + example);
            }
            return new Pair(dflt, dflt);
        }
        if (isInt(n, min)) {
            return new Pair(n.asInt(), n.asInt());
        }
        if (n.isArray() && n.size() == 2 && isInt(n.get(0), min) && isInt(n.get(1), min)) {
            return new Pair(n.get(0).asInt(), n.get(1).asInt());
        }
        throw f.error(key, expected, n, "Write e.g. " + example);
    }

    private static boolean isInt(JsonNode n, int min) {
        return n.isNumber() && n.canConvertToExactIntegral() && n.canConvertToInt() && n.asInt() >= min;
    }

    /** Puts this pair under {@code key}: one integer when both sides are equal, else a list. */
    ObjectNode into(ObjectNode o, String key) {
        if (h == w) {
            return o.put(key, h);
        }
        o.set(key, JsonNodeFactory.instance.arrayNode().add(h).add(w));
        return o;
    }

    @Override
    public String toString() {
        return h + "x" + w;
    }
}
