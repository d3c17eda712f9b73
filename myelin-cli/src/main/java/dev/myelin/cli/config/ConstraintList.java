package dev.myelin.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.model.bind.Bindings;
import dev.myelin.model.bind.Fields;
import dev.myelin.model.bind.Source;
import dev.myelin.train.regularize.Constraint;
import dev.myelin.train.regularize.Constraints;
import dev.myelin.train.regularize.ParamSelection;
import java.util.ArrayList;
import java.util.List;

/**
 * The config's {@code constraints} list, projected onto the weights after every optimizer step:
 * <pre>
 * constraints:
 *   - max_norm: 3.0                  # each unit's incoming weight vector has norm <= 3
 *   - unit_norm                      # ... norm exactly 1
 *   - non_negative
 *   - bounds: {min: -0.5, max: 0.5}
 *   - {max_norm: 2.0, apply_to: all} # apply_to: weights (default) or all
 * </pre>
 */
final class ConstraintList {
    static final List<String> NAMES = List.of("max_norm", "unit_norm", "non_negative", "bounds");
    private static final String EXAMPLE = "Write e.g.\nconstraints:\n  - max_norm: 3.0";

    private ConstraintList() {
    }

    static List<Constraints.Rule> parse(Source src, JsonNode list) {
        List<Constraints.Rule> rules = new ArrayList<>();
        if (list == null) {
            return rules;
        }
        if (!list.isArray()) {
            throw src.error("constraints", "a list of constraints (" + String.join(", ", NAMES) + ")",
                    Source.describe(list), EXAMPLE);
        }
        for (int i = 0; i < list.size(); i++) {
            rules.add(item(src, "constraints[" + i + "]", list.get(i)));
        }
        return rules;
    }

    private static Constraints.Rule item(Source src, String path, JsonNode item) {
        ObjectNode o = item != null && item.isTextual() ? JsonNodeFactory.instance.objectNode().putNull(item.asText())
                : item != null && item.isObject() ? item.deepCopy() : null;
        ParamSelection applyTo = ParamSelection.WEIGHTS;
        if (o != null && o.has("apply_to")) {
            applyTo = (ParamSelection) Bindings.BINDER.value(ParamSelection.class, src, path + ".apply_to",
                    o.get("apply_to"));
            o.remove("apply_to");
        }
        if (o == null || o.size() != 1) {
            throw src.error(path, "one constraint (" + String.join(", ", NAMES) + "), optionally with apply_to",
                    Source.describe(item), EXAMPLE);
        }
        String name = o.fieldNames().next();
        JsonNode value = o.get(name);
        String at = path + "." + name;
        Constraint c = switch (name) {
            case "max_norm" -> new Constraint.MaxNorm(positive(src, at, value));
            case "unit_norm" -> new Constraint.UnitNorm();
            case "non_negative" -> new Constraint.NonNegative();
            case "bounds" -> bounds(src, at, value);
            default -> {
                String guess = Source.didYouMean(name, NAMES);
                throw src.error(path, "a constraint, one of " + String.join(", ", NAMES), "'" + name + "'",
                        guess != null ? "Did you mean '" + guess + "'?" : "Use one of the names listed");
            }
        };
        if ((c instanceof Constraint.UnitNorm || c instanceof Constraint.NonNegative) && value != null
                && !value.isNull() && !(value.isObject() && value.isEmpty())) {
            throw src.error(at, "no options", Source.describe(value), "Write `- " + name + "`");
        }
        return new Constraints.Rule(c, applyTo);
    }

    private static double positive(Source src, String at, JsonNode value) {
        double v = value == null || !value.isNumber() ? Double.NaN : value.asDouble();
        if (!(v > 0 && Double.isFinite(v))) {
            throw src.error(at, "a norm bound > 0", Source.describe(value), "Write e.g. `- max_norm: 3.0`");
        }
        return v;
    }

    private static Constraint bounds(Source src, String at, JsonNode value) {
        Fields f = Fields.of(src, at, value, "Write e.g. `- bounds: {min: -0.5, max: 0.5}`");
        double min = f.number("min", null, "min: -0.5");
        double max = f.number("max", null, "max: 0.5");
        f.check("max", max, min <= max, "max >= min (" + min + ")", "max: 0.5");
        f.finish();
        return new Constraint.Bounds(min, max);
    }

    static ArrayNode toTree(List<Constraints.Rule> rules) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Constraints.Rule r : rules) {
            ObjectNode o = a.addObject();
            switch (r.constraint()) {
                case Constraint.MaxNorm m -> o.put("max_norm", m.maxValue());
                case Constraint.UnitNorm u -> o.set("unit_norm", JsonNodeFactory.instance.objectNode());
                case Constraint.NonNegative n -> o.set("non_negative", JsonNodeFactory.instance.objectNode());
                case Constraint.Bounds b -> o.set("bounds", JsonNodeFactory.instance.objectNode()
                        .put("min", b.min()).put("max", b.max()));
            }
            o.put("apply_to", r.applyTo().configName());
        }
        return a;
    }
}
