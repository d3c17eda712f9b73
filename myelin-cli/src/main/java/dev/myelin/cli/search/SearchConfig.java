package dev.myelin.cli.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.model.bind.ConfigException;
import dev.myelin.model.bind.Fields;
import dev.myelin.model.bind.Source;
import dev.myelin.search.Distribution;
import dev.myelin.search.Parameter;
import dev.myelin.search.Search;
import dev.myelin.search.SearchSpace;
import dev.myelin.search.Strategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config's {@code search:} section: the strategy, the metric and the space of {@code --set}
 * keys.
 * <pre>
 * search:
 *   strategy: random          # grid | random | successive_halving | asha
 *   trials: 16                # random and successive_halving
 *   metric: val_loss          # a metrics.csv column; mode: min (max for accuracies)
 *   eta: 3                    # successive_halving: the best 1/eta go on with eta times the epochs
 *   min_epochs: 1             # successive_halving: the first rung's epochs (default derived)
 *   seed: 0                   # default: the config's seed
 *   space:
 *     optimizer.lr: {log_uniform: [1.0e-4, 1.0e-1]}
 *     batch_size: {choice: [64, 128, 256]}
 *     optimizer.momentum: {uniform: [0.5, 0.99], when: {optimizer.name: sgd}}
 * </pre>
 *
 * @param metric the metrics.csv column a trial is judged by, at the end of its budget
 */
public record SearchConfig(Search.Options options, String metric) {
    public static final List<String> STRATEGIES = List.of("grid", "random", "successive_halving", "asha");
    public static final List<String> KINDS = List.of("choice", "grid", "uniform", "log_uniform", "int");

    /** Reads {@code node}, the {@code search} section of {@code src}; {@code epochs} is a full trial's budget. */
    public static SearchConfig parse(Source src, JsonNode node, int epochs, long configSeed) {
        if (node == null || !node.isObject()) {
            throw src.error("search", "a search section: strategy, trials, metric and a space of keys",
                    node == null ? "none" : Source.describe(node), "Add e.g. search: {strategy: random, trials: 16,"
                    + " space: {optimizer.lr: {log_uniform: [1.0e-4, 1.0e-1]}}}");
        }
        Fields f = Fields.of(src, "search", node, "search: {strategy: random, trials: 16}");
        String strategy = f.choice("strategy", "random", STRATEGIES);
        String metric = f.text("metric", "val_loss", false, "metric: val_accuracy");
        String mode = f.choice("mode", metric.endsWith("accuracy") ? "max" : "min", List.of("min", "max"));
        long seed = f.longInteger("seed", configSeed);
        SearchSpace space = space(src, f.raw("space"));
        Strategy s = switch (strategy) {
            case "grid" -> new Strategy.Grid();
            case "random" -> new Strategy.RandomSearch(f.integer("trials", 16, 1, "trials: 16"));
            case "asha" -> {
                Strategy.SuccessiveHalving h = halving(src, f);
                yield new Strategy.Asha(h.trials(), h.eta(), h.minBudget());
            }
            default -> halving(src, f);
        };
        f.finish("for strategy " + strategy);
        Search.Options o = new Search.Options(space, s, epochs, mode.equals("max"), seed);
        try {
            Search.trials(o);
            o.strategy().rungs(Math.max(2, s.trials()), epochs);
        } catch (IllegalArgumentException e) {
            throw src.error("search", "a search that can run", e.getMessage(), "Change the space or the strategy");
        }
        return new SearchConfig(o, metric);
    }

    private static Strategy.SuccessiveHalving halving(Source src, Fields f) {
        int trials = f.integer("trials", 27, 2, "trials: 27");
        int eta = f.integer("eta", 3, 2, "eta: 3");
        int min = f.integer("min_epochs", 0, 0, "min_epochs: 1");
        return new Strategy.SuccessiveHalving(trials, eta, min);
    }

    private static SearchSpace space(Source src, JsonNode node) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw src.error("search.space", "a mapping of --set keys to distributions", node == null ? "none"
                    : Source.describe(node), "Write e.g. space: {optimizer.lr: {log_uniform: [1.0e-4, 1.0e-1]}}");
        }
        List<Parameter> params = new ArrayList<>();
        for (var e : node.properties()) {
            params.add(parameter(src, "search.space." + e.getKey(), e.getKey(), e.getValue()));
        }
        try {
            return new SearchSpace(params);
        } catch (IllegalArgumentException e) {
            throw src.error("search.space", "keys whose conditions name keys searched before them", e.getMessage(),
                    "Reorder the keys");
        }
    }

    private static Parameter parameter(Source src, String field, String key, JsonNode spec) {
        String example = "Write e.g. " + key + ": {log_uniform: [1.0e-4, 1.0e-1]} (or choice, grid, uniform, int)";
        if (!spec.isObject()) {
            throw src.error(field, "one of " + String.join(", ", KINDS) + " with its values", Source.describe(spec),
                    example);
        }
        Fields f = Fields.of(src, field, spec, example);
        String kind = null;
        for (String k : KINDS) {
            if (f.has(k)) {
                if (kind != null) {
                    throw src.error(field, "one distribution", kind + " and " + k, "Keep one of them");
                }
                kind = k;
            }
        }
        if (kind == null) {
            throw src.error(field, "one of " + String.join(", ", KINDS), "keys " + fieldNames(spec), example);
        }
        Distribution d = distribution(src, field + "." + kind, kind, f.raw(kind));
        Map<String, Object> when = new LinkedHashMap<>();
        JsonNode w = f.raw("when");
        if (w != null) {
            if (!w.isObject() || w.isEmpty()) {
                throw src.error(field + ".when", "a mapping of searched keys to values", Source.describe(w),
                        "Write e.g. when: {optimizer.name: sgd}");
            }
            w.properties().forEach(e -> when.put(e.getKey(), value(e.getValue())));
        }
        f.finish();
        return new Parameter(key, d, when);
    }

    private static Distribution distribution(Source src, String field, String kind, JsonNode v) {
        try {
            return switch (kind) {
                case "choice", "grid" -> new Distribution.Choice(values(src, field, v));
                case "uniform" -> new Distribution.Uniform(bound(src, field, v, 0), bound(src, field, v, 1));
                case "log_uniform" -> new Distribution.LogUniform(bound(src, field, v, 0), bound(src, field, v, 1));
                default -> new Distribution.IntUniform(integer(src, field, v, 0), integer(src, field, v, 1));
            };
        } catch (IllegalArgumentException e) {
            throw src.error(field, kind.equals("log_uniform") ? "bounds [a, b] with 0 < a < b" : kind.equals("choice")
                    || kind.equals("grid") ? "a non-empty list of values" : "bounds [a, b] with a < b", e.getMessage()
                    .replaceFirst("^expected [^,]*, found ", ""), "Write e.g. " + example(kind));
        }
    }

    private static String example(String kind) {
        return switch (kind) {
            case "log_uniform" -> "log_uniform: [1.0e-4, 1.0e-1]";
            case "uniform" -> "uniform: [0.0, 0.5]";
            case "int" -> "int: [1, 4]";
            default -> kind + ": [64, 128, 256]";
        };
    }

    private static List<Object> values(Source src, String field, JsonNode v) {
        if (v == null || !v.isArray()) {
            throw src.error(field, "a list of values", Source.describe(v), "Write e.g. " + field.substring(
                    field.lastIndexOf('.') + 1) + ": [64, 128, 256]");
        }
        List<Object> out = new ArrayList<>();
        v.forEach(e -> out.add(value(e)));
        return out;
    }

    private static double bound(Source src, String field, JsonNode v, int i) {
        if (v == null || !v.isArray() || v.size() != 2 || !v.get(i).isNumber()) {
            throw src.error(field, "two numbers [a, b]", Source.describe(v), "Write e.g. [1.0e-4, 1.0e-1]");
        }
        return v.get(i).asDouble();
    }

    private static int integer(Source src, String field, JsonNode v, int i) {
        if (v == null || !v.isArray() || v.size() != 2 || !v.get(i).canConvertToInt() || !v.get(i).isIntegralNumber()) {
            throw src.error(field, "two integers [a, b]", Source.describe(v), "Write e.g. int: [1, 4]");
        }
        return v.get(i).asInt();
    }

    /** A YAML scalar as a Java value: Integer, Long, Double, Boolean or String. */
    static Object value(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.canConvertToInt() ? (Object) n.asInt() : (Object) n.asLong();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isValueNode()) {
            return n.asText();
        }
        throw new ConfigException("a search value must be a number, a string or a boolean, found " + n);
    }

    private static String fieldNames(JsonNode spec) {
        List<String> names = new ArrayList<>();
        spec.fieldNames().forEachRemaining(names::add);
        return names.toString();
    }

    /** The {@code --set} assignment of one trial value: {@code optimizer.lr=0.0031}. */
    public static String assignment(String key, Object value) {
        return key + "=" + (value instanceof String s ? "\"" + s.replace("\"", "\\\"") + "\"" : value);
    }
}
