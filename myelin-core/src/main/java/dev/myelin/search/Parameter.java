package dev.myelin.search;

import java.util.Map;
import java.util.Objects;

/**
 * One searched key ({@code optimizer.lr}, {@code model[4].dropout.p}: the keys of
 * {@code --set}) and its distribution, searched only {@code when} other searched keys have the
 * given values (momentum only for SGD: {@code when: {optimizer.name: sgd}}).
 *
 * @param when searched keys and the values they must have for this key to apply; empty: always
 */
public record Parameter(String key, Distribution distribution, Map<String, Object> when) {
    public Parameter {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(distribution, "distribution");
        when = when == null ? Map.of() : Map.copyOf(when);
    }

    /** A key searched always. */
    public static Parameter of(String key, Distribution d) {
        return new Parameter(key, d, Map.of());
    }

    /** True when the values drawn so far satisfy {@link #when}. */
    boolean appliesTo(Map<String, Object> drawn) {
        for (Map.Entry<String, Object> e : when.entrySet()) {
            Object v = drawn.get(e.getKey());
            if (v == null || !String.valueOf(v).equals(String.valueOf(e.getValue()))) {
                return false;
            }
        }
        return true;
    }
}
