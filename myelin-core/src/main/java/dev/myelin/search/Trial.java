package dev.myelin.search;

import java.util.Map;

/**
 * One configuration of a search: its number (0, 1, ...: the order it was drawn or enumerated in)
 * and its values by key.
 */
public record Trial(int id, Map<String, Object> params) {
    public Trial {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }

    /** {@code 0007}: the trial's folder name. */
    public String name() {
        return String.format("%04d", id);
    }
}
