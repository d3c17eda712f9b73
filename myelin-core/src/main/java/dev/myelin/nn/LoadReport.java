package dev.myelin.nn;

import java.util.Arrays;
import java.util.List;

/**
 * What loading a state dict into a model did ({@link WeightTransfer#load}), key by key, as
 * PyTorch's {@code load_state_dict} returns {@code missing_keys} and {@code unexpected_keys}
 * and lists the size mismatches in its error.
 *
 * @param loaded     the model's keys whose values were copied from the source
 * @param missing    the model's keys the source does not have (they keep their initialization)
 * @param unexpected the source's keys (after renaming) that the model does not have
 * @param mismatched the keys both have, with different shapes
 * @param ignored    the keys an {@code ignore} pattern matched (model's and source's), left alone
 */
public record LoadReport(List<String> loaded, List<String> missing, List<String> unexpected,
                         List<Mismatch> mismatched, List<String> ignored) {
    public LoadReport {
        loaded = List.copyOf(loaded);
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
        mismatched = List.copyOf(mismatched);
        ignored = List.copyOf(ignored);
    }

    /**
     * A key present in both with different shapes.
     *
     * @param key    the model's key
     * @param model  the model's shape
     * @param source the source's shape
     */
    public record Mismatch(String key, int[] model, int[] source) {
        @Override
        public String toString() {
            return key + " (model " + Arrays.toString(model) + ", source " + Arrays.toString(source) + ")";
        }
    }

    /** True when every key of the model was loaded or ignored and the source had nothing else. */
    public boolean complete() {
        return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
    }

    /** The report as lines a person reads: counts first, then the keys of each kind that is not empty. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("loaded ").append(loaded.size()).append(", missing ").append(missing.size())
                .append(", unexpected ").append(unexpected.size()).append(", shape mismatch ")
                .append(mismatched.size()).append(", ignored ").append(ignored.size());
        line(sb, "missing (kept as initialized)", missing);
        line(sb, "unexpected (not in the model)", unexpected);
        line(sb, "shape mismatch", mismatched);
        line(sb, "ignored", ignored);
        return sb.toString();
    }

    private static void line(StringBuilder sb, String what, List<?> keys) {
        if (!keys.isEmpty()) {
            sb.append("\n  ").append(what).append(": ");
            int shown = Math.min(keys.size(), 12);
            for (int i = 0; i < shown; i++) {
                sb.append(i > 0 ? ", " : "").append(keys.get(i));
            }
            if (shown < keys.size()) {
                sb.append(", ... (").append(keys.size() - shown).append(" more)");
            }
        }
    }
}
