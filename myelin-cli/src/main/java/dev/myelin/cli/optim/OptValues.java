package dev.myelin.cli.optim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated values of a table-described config section, by key, in the table's order.
 *
 * @param values key to Double, Integer, Boolean, String or List of two Doubles
 */
public record OptValues(Map<String, Object> values) {
    public OptValues {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Reads every option of {@code table} from {@code f}; values of {@code inherited} (may be null) replace defaults. */
    static OptValues read(Fields f, List<Opt> table, OptValues inherited) {
        Map<String, Object> v = new LinkedHashMap<>();
        for (Opt o : table) {
            v.put(o.key(), o.read(f, inherited == null ? null : inherited.values().get(o.key())));
        }
        return new OptValues(v);
    }

    /** Writes the values into {@code o}, in the table's order. */
    void write(ObjectNode o, List<Opt> table) {
        for (Opt opt : table) {
            opt.write(o, values.get(opt.key()));
        }
    }

    public double number(String key) {
        return ((Number) get(key)).doubleValue();
    }

    public int integer(String key) {
        return (Integer) get(key);
    }

    public boolean bool(String key) {
        return (Boolean) get(key);
    }

    public String text(String key) {
        return (String) get(key);
    }

    /** Element {@code i} of a pair option (e.g. betas). */
    public double pair(String key, int i) {
        return ((List<?>) get(key)).get(i) instanceof Double d ? d : Double.NaN;
    }

    private Object get(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no option '" + key + "' (have " + values.keySet() + ")");
        }
        return v;
    }
}
