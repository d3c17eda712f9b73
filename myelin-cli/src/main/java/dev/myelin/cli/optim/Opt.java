package dev.myelin.cli.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.cli.yaml.Source;
import java.util.List;
import java.util.function.DoublePredicate;

/**
 * One option of a config section described by a table (an optimizer, a schedule): its key,
 * type, default (null: required), and the check of its value. {@link #read} validates one key of
 * a mapping and {@link #write} puts the value back into a resolved tree.
 */
record Opt(String key, Type type, Object dflt, DoublePredicate ok, String expected, List<String> choices) {
    enum Type { NUMBER, INTEGER, BOOL, PAIR, CHOICE }

    /** A number; {@code dflt} null makes it required. */
    static Opt number(String key, Double dflt, DoublePredicate ok, String expected) {
        return new Opt(key, Type.NUMBER, dflt, ok, expected, List.of());
    }

    /** A number > 0. */
    static Opt positive(String key, Double dflt) {
        return number(key, dflt, v -> v > 0, "a number > 0");
    }

    /** A number >= 0. */
    static Opt nonNegative(String key, double dflt) {
        return number(key, dflt, v -> v >= 0, "a number >= 0");
    }

    /** A number in [0, 1]. */
    static Opt fraction(String key, double dflt) {
        return number(key, dflt, v -> v >= 0 && v <= 1, "a number in [0, 1]");
    }

    /** An integer >= {@code min}; {@code dflt} null makes it required. */
    static Opt integer(String key, Integer dflt, int min) {
        return new Opt(key, Type.INTEGER, dflt, v -> v >= min, "an integer >= " + min, List.of());
    }

    static Opt bool(String key, boolean dflt) {
        return new Opt(key, Type.BOOL, dflt, v -> true, "true or false", List.of());
    }

    /** Two numbers in [0, 1), e.g. Adam's betas. */
    static Opt betas(String key, double b1, double b2) {
        return new Opt(key, Type.PAIR, List.of(b1, b2), v -> v >= 0 && v < 1, "two numbers in [0, 1)", List.of());
    }

    static Opt choice(String key, String dflt, List<String> choices) {
        return new Opt(key, Type.CHOICE, dflt, v -> true, "one of " + String.join(", ", choices), choices);
    }

    /** Reads and checks this option of {@code f}; {@code inherited} (may be null) replaces the default. */
    Object read(Fields f, Object inherited) {
        Object d = inherited != null ? inherited : dflt;
        String example = key + ": " + example(d);
        return switch (type) {
            case NUMBER -> {
                double v = f.number(key, (Double) d, example);
                yield f.check(key, v, ok.test(v), expected, example);
            }
            case INTEGER -> {
                int v = f.integer(key, (Integer) d, Integer.MIN_VALUE, example);
                f.check(key, v, ok.test(v), expected, example);
                yield v;
            }
            case BOOL -> f.bool(key, (Boolean) d);
            case CHOICE -> f.choice(key, (String) d, choices);
            case PAIR -> pair(f, d, example);
        };
    }

    @SuppressWarnings("unchecked")
    private List<Double> pair(Fields f, Object d, String example) {
        JsonNode n = f.raw(key);
        if (n == null) {
            return (List<Double>) d;
        }
        String field = f.path(key);
        if (!n.isArray() || n.size() != 2) {
            throw f.source().error(field, "a list of " + expected, Source.describe(n), "Write e.g. " + example);
        }
        double a = f.toNumber(n.get(0), field + "[0]", example);
        double b = f.toNumber(n.get(1), field + "[1]", example);
        if (!ok.test(a) || !ok.test(b)) {
            throw f.source().error(field, expected, n.toString(), "Write e.g. " + example);
        }
        return List.of(a, b);
    }

    private String example(Object d) {
        if (d == null) {
            return type == Type.INTEGER ? "10" : "0.1";
        }
        return d instanceof List<?> l ? l.toString() : d.toString();
    }

    /** Puts {@code value} into {@code o} under this option's key. */
    void write(ObjectNode o, Object value) {
        switch (value) {
            case Double v -> o.put(key, v);
            case Integer v -> o.put(key, v);
            case Boolean v -> o.put(key, v);
            case String v -> o.put(key, v);
            case List<?> l -> {
                var a = o.putArray(key);
                l.forEach(x -> a.add((Double) x));
            }
            default -> throw new IllegalStateException("option " + key + ": unexpected value " + value);
        }
    }
}
