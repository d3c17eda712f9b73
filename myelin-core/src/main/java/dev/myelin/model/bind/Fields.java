package dev.myelin.model.bind;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One mapping of the configuration under validation. Each getter reads one key, checks its
 * type and range, and on failure throws an error naming the file, the field path, what was
 * expected and what was found. A missing key or an explicit {@code null} takes the default;
 * a getter with no default makes the key required. {@link #finish} rejects the keys no getter
 * asked for, with a did-you-mean.
 */
public final class Fields {
    /** Numbers that YAML 1.1 reads as strings (e.g. {@code 1e-3}, which has no dot) but a user means as numbers. */
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private final Source source;
    private final String path;
    private final JsonNode node;
    private final List<String> asked = new ArrayList<>();

    private Fields(Source source, String path, JsonNode node) {
        this.source = source;
        this.path = path;
        this.node = node;
    }

    /**
     * The mapping at {@code path}; null or missing reads as an empty mapping (all defaults).
     *
     * @param example what to write instead, shown when the node is not a mapping
     */
    public static Fields of(Source source, String path, JsonNode node, String example) {
        if (node != null && !node.isNull() && !node.isMissingNode() && !node.isObject()) {
            throw source.error(path, "a mapping of settings", Source.describe(node), example);
        }
        return new Fields(source, path, node == null || node.isNull() ? null : node);
    }

    public Source source() {
        return source;
    }

    public String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The raw value of {@code key}, or null when missing or null. */
    public JsonNode raw(String key) {
        if (!asked.contains(key)) {
            asked.add(key);
        }
        JsonNode n = node == null ? null : node.get(key);
        return n == null || n.isNull() ? null : n;
    }

    public boolean has(String key) {
        return node != null && node.has(key) && !node.get(key).isNull();
    }

    public ConfigException error(String key, String expected, JsonNode found, String fix) {
        return source.error(path(key), expected, Source.describe(found), fix);
    }

    /** An integer >= {@code min}; {@code dflt} null makes it required. */
    public int integer(String key, Integer dflt, int min, String example) {
        JsonNode n = raw(key);
        String expected = min == 1 ? "a positive integer" : min == 0 ? "an integer >= 0"
                : min == Integer.MIN_VALUE ? "an integer" : "an integer >= " + min;
        if (n == null) {
            if (dflt == null) {
                throw error(key, expected, null, "Add it, e.g. " + example);
            }
            return dflt;
        }
        if (!n.isNumber() || !n.canConvertToExactIntegral() || !n.canConvertToInt()) {
            throw error(key, expected, n, "Write a whole number, e.g. " + example);
        }
        int v = n.asInt();
        if (v < min) {
            throw error(key, expected, n, "Write e.g. " + example);
        }
        return v;
    }

    public long longInteger(String key, long dflt) {
        JsonNode n = raw(key);
        if (n == null) {
            return dflt;
        }
        if (!n.isNumber() || !n.canConvertToExactIntegral() || !n.canConvertToLong()) {
            throw error(key, "an integer", n, "Write a whole number, e.g. " + key + ": 0");
        }
        return n.asLong();
    }

    /** A finite number; strings that spell a number ({@code 1e-3}) are accepted. */
    public double number(String key, Double dflt, String example) {
        JsonNode n = raw(key);
        if (n == null) {
            if (dflt == null) {
                throw error(key, "a number", null, "Add it, e.g. " + example);
            }
            return dflt;
        }
        return toNumber(n, path(key), example);
    }

    public double toNumber(JsonNode n, String field, String example) {
        double v;
        if (n.isNumber()) {
            v = n.asDouble();
        } else if (n.isTextual() && NUMBER.matcher(n.asText().trim()).matches()) {
            v = Double.parseDouble(n.asText().trim());
        } else {
            throw source.error(field, "a number", Source.describe(n), "Write e.g. " + example);
        }
        if (!Double.isFinite(v)) {
            throw source.error(field, "a finite number", Source.describe(n), "Write e.g. " + example);
        }
        return v;
    }

    /** Checks a number read with {@link #number}: fails naming the field when {@code ok} is false. */
    public double check(String key, double v, boolean ok, String expected, String example) {
        if (!ok) {
            throw source.error(path(key), expected, v + "", "Write e.g. " + example);
        }
        return v;
    }

    public boolean bool(String key, boolean dflt) {
        JsonNode n = raw(key);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw error(key, "true or false", n, "Write e.g. " + key + ": " + dflt);
        }
        return n.asBoolean();
    }

    /** A string; {@code dflt} may be null (then the value is optional and may be absent). */
    public String text(String key, String dflt, boolean required, String example) {
        JsonNode n = raw(key);
        if (n == null) {
            if (required) {
                throw error(key, "a string", null, "Add it, e.g. " + example);
            }
            return dflt;
        }
        if (!n.isTextual() && !n.isNumber()) {
            throw error(key, "a string", n, "Write e.g. " + example);
        }
        return n.asText();
    }

    /** One of {@code options}; {@code dflt} null makes it required. */
    public String choice(String key, String dflt, List<String> options) {
        JsonNode n = raw(key);
        String expected = "one of " + String.join(", ", options);
        if (n == null) {
            if (dflt == null) {
                throw error(key, expected, null, "Add it, e.g. " + key + ": " + options.get(0));
            }
            return dflt;
        }
        if (!n.isTextual() || !options.contains(n.asText())) {
            String guess = n.isValueNode() ? Source.didYouMean(n.asText(), options) : null;
            throw error(key, expected, n, guess != null ? "Did you mean '" + guess + "'?" : "Write one of these");
        }
        return n.asText();
    }

    /** Fails on the first key that no getter asked for. */
    public void finish() {
        finish(null);
    }

    /** Like {@link #finish()}; {@code context} (e.g. "for dataset disc") says why the known keys are these. */
    public void finish(String context) {
        if (node == null) {
            return;
        }
        Iterator<String> it = node.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (!asked.contains(k)) {
                String guess = Source.didYouMean(k, asked);
                throw source.error(path(k), (path.isEmpty() ? "a known key" : "a known key of '" + path + "'")
                                + (context == null ? "" : " " + context) + " (" + String.join(", ", asked) + ")",
                        "unknown key '" + k + "'",
                        guess != null ? "Did you mean '" + guess + "'?" : "Remove it or fix its spelling");
            }
        }
    }
}
