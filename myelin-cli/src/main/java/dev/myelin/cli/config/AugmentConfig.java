package dev.myelin.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.model.bind.Fields;
import dev.myelin.model.bind.Source;
import dev.myelin.data.augment.Blur;
import dev.myelin.data.augment.Crop;
import dev.myelin.data.augment.Erase;
import dev.myelin.data.augment.Flip;
import dev.myelin.data.augment.Noise;
import dev.myelin.data.augment.Rotate;
import dev.myelin.data.augment.Scale;
import dev.myelin.data.augment.Transform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The config's {@code data.augment} list: image transforms applied to training samples, in
 * order, e.g. {@code [{flip: {p: 0.5}}, {crop: {padding: 4}}]}. Each entry is a transform name
 * (all defaults) or a mapping from one name to its options; docs/augmentation.md lists them.
 */
public final class AugmentConfig {
    private static final Map<String, Function<Fields, Transform>> PARSERS = new LinkedHashMap<>();

    static {
        // each default is the core transform's own (its no-argument constructor), read here, not repeated
        PARSERS.put("flip", f -> new Flip(p(f, new Flip().p())));
        PARSERS.put("crop", f -> {
            Crop d = new Crop();
            return new Crop(f.integer("padding", d.padding(), 0, "padding: " + d.padding()), p(f, d.p()));
        });
        PARSERS.put("rotate", f -> {
            Rotate d = new Rotate();
            return new Rotate(bounded(f, "degrees", d.degrees(), 0, 180, "degrees: " + d.degrees()), p(f, d.p()));
        });
        PARSERS.put("scale", f -> {
            Scale d = new Scale();
            double[] r = range(f, "range", d.min(), d.max(), "range: " + pair(d.min(), d.max()));
            return new Scale(r[0], r[1], p(f, d.p()));
        });
        PARSERS.put("noise", f -> {
            Noise d = new Noise();
            return new Noise(bounded(f, "std", d.std(), 0, 100, "std: " + d.std()), p(f, d.p()));
        });
        PARSERS.put("blur", f -> {
            Blur d = new Blur();
            double[] s = range(f, "sigma", d.sigmaMin(), d.sigmaMax(), "sigma: " + d.sigmaMin() + " or sigma: [0.1, 2.0]");
            return new Blur(s[0], s[1], p(f, d.p()));
        });
        PARSERS.put("erase", f -> {
            Erase d = new Erase();
            double p = p(f, d.p());
            double[] scale = range(f, "scale", d.scaleMin(), d.scaleMax(), "scale: " + pair(d.scaleMin(), d.scaleMax()));
            double[] ratio = range(f, "ratio", d.ratioMin(), d.ratioMax(), "ratio: " + pair(d.ratioMin(), d.ratioMax()));
            return new Erase(p, scale[0], scale[1], ratio[0], ratio[1], value(f, d.value()));
        });
    }

    private static String pair(double lo, double hi) {
        return "[" + lo + ", " + hi + "]";
    }

    private AugmentConfig() {
    }

    /** The transform names, in the order the docs list them. */
    public static List<String> names() {
        return List.copyOf(PARSERS.keySet());
    }

    /** Reads the list at {@code data.augment}; null or missing is an empty list. */
    static List<Transform> parse(Source src, JsonNode node) {
        String path = "data.augment";
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw src.error(path, "a list of transforms", Source.describe(node),
                    "Write e.g. `augment: [{flip: {p: 0.5}}, {crop: {padding: 4}}]`");
        }
        List<Transform> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(parseOne(src, path + "[" + i + "]", node.get(i)));
        }
        return out;
    }

    private static Transform parseOne(Source src, String path, JsonNode item) {
        String name;
        JsonNode options = null;
        if (item.isTextual()) {
            name = item.asText();
        } else if (item.isObject() && item.size() == 1) {
            name = item.fieldNames().next();
            options = item.get(name);
        } else {
            throw src.error(path, "a transform (one of " + String.join(", ", names()) + ")", Source.describe(item),
                    "Write a name such as `- flip` or a mapping such as `- crop: {padding: 4}`");
        }
        Function<Fields, Transform> parser = PARSERS.get(name);
        if (parser == null) {
            String guess = Source.didYouMean(name, names());
            throw src.error(path, "a transform name, one of " + String.join(", ", names()), "'" + name + "'",
                    guess != null ? "Did you mean '" + guess + "'?" : "Use one of the names listed");
        }
        Fields f = Fields.of(src, path + "." + name, options, "Write its options as a mapping, e.g. `- " + name + ": {}`");
        Transform t;
        try {
            t = parser.apply(f);
        } catch (IllegalArgumentException e) { // a combination of options the transform refuses
            throw src.error(path + "." + name, "valid options", Source.describe(options), e.getMessage());
        }
        f.finish();
        return t;
    }

    /** The resolved form of {@code transforms}, every option written out. */
    static ArrayNode toTree(List<Transform> transforms) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (Transform t : transforms) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            switch (t) {
                case Flip x -> o.put("p", x.p());
                case Crop x -> o.put("padding", x.padding()).put("p", x.p());
                case Rotate x -> o.put("degrees", x.degrees()).put("p", x.p());
                case Scale x -> pair(o, "range", x.min(), x.max()).put("p", x.p());
                case Noise x -> o.put("std", x.std()).put("p", x.p());
                case Blur x -> pair(o, "sigma", x.sigmaMin(), x.sigmaMax()).put("p", x.p());
                case Erase x -> {
                    o.put("p", x.p());
                    pair(o, "scale", x.scaleMin(), x.scaleMax());
                    pair(o, "ratio", x.ratioMin(), x.ratioMax());
                    if (x.value() == null) {
                        o.put("value", "random");
                    } else {
                        o.put("value", x.value());
                    }
                }
                default -> throw new IllegalStateException("no config form for " + t);
            }
            list.add(JsonNodeFactory.instance.objectNode().set(t.name(), o));
        }
        return list;
    }

    private static ObjectNode pair(ObjectNode o, String key, double lo, double hi) {
        o.putArray(key).add(lo).add(hi);
        return o;
    }

    private static double p(Fields f, double dflt) {
        double p = f.number("p", dflt, "p: " + dflt);
        return f.check("p", p, p >= 0 && p <= 1, "a probability in [0, 1]", "p: " + dflt);
    }

    private static double bounded(Fields f, String key, double dflt, double lo, double hi, String example) {
        double v = f.number(key, dflt, example);
        return f.check(key, v, v >= lo && v <= hi, "a number in [" + lo + ", " + hi + "]", example);
    }

    /** A number (both ends equal) or a list [low, high] with low <= high. */
    private static double[] range(Fields f, String key, double lo, double hi, String example) {
        JsonNode n = f.raw(key);
        if (n == null) {
            return new double[] {lo, hi};
        }
        if (n.isArray() && n.size() == 2) {
            double a = f.toNumber(n.get(0), f.path(key) + "[0]", example);
            double b = f.toNumber(n.get(1), f.path(key) + "[1]", example);
            if (a > b) {
                throw f.error(key, "a range [low, high] with low <= high", n, "Write e.g. " + example);
            }
            return new double[] {a, b};
        }
        if (n.isArray()) {
            throw f.error(key, "a number or a range [low, high]", n, "Write e.g. " + example);
        }
        double v = f.toNumber(n, f.path(key), example);
        return new double[] {v, v};
    }

    /** erase's fill: a number, or "random" for N(0, 1) noise (the paper's fill). */
    private static Double value(Fields f, Double dflt) {
        JsonNode n = f.raw("value");
        if (n == null) {
            return dflt;
        }
        if (n.isTextual() && n.asText().equals("random")) {
            return null;
        }
        return f.toNumber(n, f.path("value"), "value: 0 or value: random");
    }
}
