package dev.myelin.model.bind;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a configuration came from: the file (or checkpoint) it was read from and the
 * {@code --set} assignments applied on top, so an error can say which of them is wrong.
 */
public final class Source {
    private final String label;
    /** Field path (e.g. {@code model[1].linear.out}) to the assignment that set it. */
    private final Map<String, String> overrides = new LinkedHashMap<>();

    public Source(String label) {
        this.label = label;
    }

    /** The file name (or description) errors start with. */
    public String label() {
        return label;
    }

    public void recordOverride(String path, String assignment) {
        overrides.put(path, assignment);
    }

    /**
     * An error about {@code field}: "FILE: field 'F': expected E, found X. FIX". When the field
     * was set (or created) by {@code --set}, the assignment is named too.
     */
    public ConfigException error(String field, String expected, String found, String fix) {
        StringBuilder sb = new StringBuilder(label).append(": ");
        String set = overrideFor(field);
        if (set != null) {
            sb.append("--set ").append(set).append(": ");
        }
        if (!field.isEmpty()) {
            sb.append("field '").append(field).append("': ");
        }
        sb.append("expected ").append(expected).append(", found ").append(found);
        if (fix != null && !fix.isEmpty()) {
            sb.append(". ").append(fix);
        }
        return new ConfigException(sb.toString());
    }

    private String overrideFor(String field) {
        if (overrides.containsKey(field)) {
            return overrides.get(field);
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String p = e.getKey();
            if (p.equals(field) || p.startsWith(field + ".") || p.startsWith(field + "[") || field.startsWith(p + ".")
                    || field.startsWith(p + "[")) {
                return e.getValue();
            }
        }
        return null;
    }

    /** How a value found in the config reads in an error message. */
    public static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing (the field is missing)";
        }
        if (n.isNull()) {
            return "null";
        }
        if (n.isTextual()) {
            return "\"" + n.asText() + "\" (a string)";
        }
        if (n.isBoolean()) {
            return n.asText() + " (a boolean)";
        }
        if (n.isNumber()) {
            return n.asText() + " (a number)";
        }
        if (n.isArray()) {
            return "a list of " + n.size() + (n.size() == 1 ? " item" : " items");
        }
        if (n.isObject()) {
            List<String> keys = new java.util.ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            return "a mapping with keys " + keys;
        }
        return n.toString();
    }

    /** The closest of {@code options} to {@code word} when it is a plausible typo, else null. */
    public static String didYouMean(String word, Iterable<String> options) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String w = word.toLowerCase(java.util.Locale.ROOT);
        for (String o : options) {
            int d = distance(w, o.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = o;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        return bestDistance <= allowed ? best : null;
    }

    /**
     * Optimal-string-alignment distance: Levenshtein's insert, delete and substitute, plus the swap of two
     * neighbouring letters ({@code trian} is one edit from {@code train}; Damerau 1964), with underscore and
     * dash treated alike.
     */
    public static int distance(String a, String b) {
        a = a.replace('-', '_');
        b = b.replace('-', '_');
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i][j - 1] + 1, d[i - 1][j] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
