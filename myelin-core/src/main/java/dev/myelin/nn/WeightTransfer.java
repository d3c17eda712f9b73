package dev.myelin.nn;

import dev.myelin.options.Check;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Initializes a model from the weights of another one, the first step of transfer learning
 * (Huang, "Training Deep Neural Networks", transfer learning: "reuse the lower layers" of a
 * network trained on a similar task and train a new head; Géron, Hands-On Machine Learning,
 * ch. 11, "Reusing Pretrained Layers"). The source is a state dict, e.g. a Myelin checkpoint
 * or a PyTorch {@code state_dict()} saved as safetensors:
 * <pre>
 * 1. rename:  each source key's longest prefix listed in rename is replaced
 *             ("features.0." -&gt; "0." turns features.0.weight into 0.weight)
 * 2. ignore:  model keys and renamed source keys that an ignore pattern matches are left alone
 *             (the new head keeps its initialization)
 * 3. match:   a model key with a source value of the same shape is loaded; the others are
 *             missing, the source's leftovers unexpected, different shapes mismatched
 * 4. strict:  anything missing, unexpected or mismatched is an error and nothing is loaded;
 *             not strict: what matches is loaded and the rest reported
 * </pre>
 * PyTorch's {@code load_state_dict(strict=True)} has steps 3 and 4 (shape mismatches are errors
 * even when not strict there; here, with strict false, they are reported and skipped, as
 * Keras's {@code load_weights(skip_mismatch=True)} does).
 */
public final class WeightTransfer {
    private WeightTransfer() {
    }

    /**
     * @param rename source key prefix to the model's prefix, e.g. {@code {"features.0.": "0."}}
     * @param ignore name patterns ({@link NamePattern}) of keys to leave alone, e.g. the new head {@code ["6.*"]}
     * @param strict whether anything missing, unexpected or mismatched is an error (default true)
     */
    public record Options(Map<String, String> rename, List<String> ignore, boolean strict) {
        public Options {
            rename = rename == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rename));
            ignore = ignore == null ? List.of() : List.copyOf(ignore);
            for (String p : ignore) {
                Check.that(p != null && !p.isBlank(), "ignore", "name patterns such as \"6.*\"", p);
            }
            for (Map.Entry<String, String> e : rename.entrySet()) {
                Check.that(!e.getKey().isEmpty() && e.getValue() != null, "rename",
                        "prefix pairs such as {\"features.0.\": \"0.\"}", e.getKey() + ": " + e.getValue());
            }
        }

        /** No renaming, nothing ignored, strict. */
        public static Options defaults() {
            return new Options(Map.of(), List.of(), true);
        }
    }

    /**
     * Loads {@code source} into {@code model} as {@code options} say and reports each key.
     *
     * @throws IllegalArgumentException when strict and the report is not complete (the message
     *                                  is the report and what to do), or when two source keys
     *                                  rename to the same key; the model is then unchanged
     */
    public static LoadReport load(Module model, Map<String, Tensor> source, Options options) {
        List<NamePattern> ignore = NamePattern.of(options.ignore());
        Map<String, Tensor> renamed = rename(source, options.rename());
        Map<String, Tensor> own = model.stateDict();
        List<String> loaded = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        List<LoadReport.Mismatch> mismatched = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            String key = e.getKey();
            Tensor src = renamed.get(key);
            if (NamePattern.any(ignore, key)) {
                ignored.add(key);
            } else if (src == null) {
                missing.add(key);
            } else if (!sameShape(e.getValue(), src)) {
                mismatched.add(new LoadReport.Mismatch(key, e.getValue().shape(), src.shape()));
            } else {
                loaded.add(key);
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String key : renamed.keySet()) {
            if (!own.containsKey(key)) {
                (NamePattern.any(ignore, key) ? ignored : unexpected).add(key);
            }
        }
        LoadReport report = new LoadReport(loaded, missing, unexpected, mismatched, ignored);
        if (options.strict() && !report.complete()) {
            throw new IllegalArgumentException("the weights do not fit the model: " + report.describe()
                    + "\nList the keys of a new or changed layer under ignore (e.g. [\"6.*\"]), map other names with"
                    + " rename, or load what fits with strict: false");
        }
        for (String key : loaded) {
            own.get(key).copyFrom(renamed.get(key));
        }
        return report;
    }

    /** PyTorch's rule: equal shapes, or a scalar into a one-element tensor (num_batches_tracked). */
    private static boolean sameShape(Tensor dst, Tensor src) {
        return src.numel() == dst.numel() && (src.dim() == 0 || dst.dim() == 0 || Arrays.equals(src.shape(), dst.shape()));
    }

    private static Map<String, Tensor> rename(Map<String, Tensor> source, Map<String, String> rename) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        source.forEach((key, t) -> {
            String to = renamed(key, rename);
            String before = from.put(to, key);
            if (before != null) {
                throw new IllegalArgumentException("rename maps both '" + before + "' and '" + key + "' to '" + to
                        + "'; make the prefixes distinct");
            }
            out.put(to, t);
        });
        return out;
    }

    private static String renamed(String key, Map<String, String> rename) {
        String best = null;
        for (String prefix : rename.keySet()) {
            if (key.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? key : rename.get(best) + key.substring(best.length());
    }
}
