package dev.myelin.search;

import dev.myelin.tensor.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The searched keys in order. A key with a {@code when} condition must come after the keys the
 * condition names, so that one pass draws every trial; a key whose condition does not hold is
 * left out of the trial (the config keeps its own value).
 */
public record SearchSpace(List<Parameter> parameters) {
    public SearchSpace {
        parameters = List.copyOf(parameters);
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("expected at least one key to search, found none");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Parameter p : parameters) {
            for (String k : p.when().keySet()) {
                if (!seen.contains(k)) {
                    throw new IllegalArgumentException(p.key() + ": its condition names " + k + ", which is "
                            + (parameters.stream().anyMatch(q -> q.key().equals(k)) ? "searched after it; list " + k
                            + " first" : "not a searched key; a condition can only name a searched key"));
                }
            }
            if (!seen.add(p.key())) {
                throw new IllegalArgumentException(p.key() + ": searched twice");
            }
        }
    }

    /** One trial's values, drawn in order from {@code rng}. */
    public Map<String, Object> sample(Rng rng) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            Rng own = rng.split(p.key()); // each key its own stream: adding a key leaves the others' draws
            if (p.appliesTo(out)) {
                out.put(p.key(), p.distribution().sample(own));
            }
        }
        return out;
    }

    /** Every combination of the keys' grid values, the first key varying slowest; conditions prune. */
    public List<Map<String, Object>> grid() {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Parameter p : parameters) {
            List<Object> values;
            try {
                values = p.distribution().grid();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(p.key() + ": " + e.getMessage(), e);
            }
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                if (!p.appliesTo(partial)) {
                    next.add(partial);
                    continue;
                }
                for (Object v : values) {
                    Map<String, Object> m = new LinkedHashMap<>(partial);
                    m.put(p.key(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /** The parameter of {@code key}, or null. */
    public Parameter parameter(String key) {
        return parameters.stream().filter(p -> p.key().equals(key)).findFirst().orElse(null);
    }
}
