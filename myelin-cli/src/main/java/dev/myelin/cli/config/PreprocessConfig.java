package dev.myelin.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.model.bind.Bindings;
import dev.myelin.model.bind.Fields;
import dev.myelin.model.bind.NamedEntry;
import dev.myelin.model.bind.Source;
import dev.myelin.data.PreprocessStep;
import dev.myelin.data.Projection;
import dev.myelin.options.Size2;
import java.util.ArrayList;
import java.util.List;

/**
 * The config's {@code data.preprocess} list: input transforms fitted on the training split, in order.
 *
 * <pre>
 * preprocess: [standardize, {pca: {components: 50}}]
 * preprocess: [{standardize: {mode: per-feature}}, {zca: {eps: 0.1}}]
 * preprocess: [{pca_whiten: {components: 100, eps: 1.0e-5}}]
 * preprocess: [{resize: {size: [32, 32]}}, standardize]
 * </pre>
 *
 * Each entry is a step name or a mapping from one step name to its options:
 * {@code standardize} (mode: scalar | per-feature; default scalar), {@code pca} (components:
 * default all), {@code pca_whiten} (components, eps: default 1e-5), {@code zca} (eps: default 1e-5),
 * {@code resize} (size: [height, width] or one number, required; image data only).
 * {@code data.standardize: MODE} is the older spelling of a one-step list
 * ({@code none} is the empty list); a config may use one of the two, not both.
 */
public final class PreprocessConfig {
    /** The step names, in the order the docs list them. */
    public static final List<String> STEPS = List.of("standardize", "pca", "pca_whiten", "zca", "resize");
    /** The values of {@code data.standardize} and of a standardize step's {@code mode}. */
    public static final List<String> MODES = List.of("scalar", "per-feature");
    private static final String EXAMPLE = "e.g. `preprocess: [standardize, {pca: {components: 50}}, {zca: {eps: 0.1}}]`";

    private PreprocessConfig() {
    }

    /** The list at {@code data.preprocess}. */
    static List<PreprocessStep> parse(Source src, String path, JsonNode list) {
        if (!list.isArray()) {
            throw src.error(path, "a list of preprocessing steps (" + String.join(", ", STEPS) + ")",
                    Source.describe(list), "Write " + EXAMPLE);
        }
        List<PreprocessStep> steps = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            steps.add(step(src, path + "[" + i + "]", list.get(i)));
        }
        return steps;
    }

    /** The steps {@code data.standardize: mode} stands for. */
    static List<PreprocessStep> fromStandardize(String mode) {
        return mode.equals("none") ? List.of() : List.of(new PreprocessStep.Standardize(mode.equals("per-feature")));
    }

    private static PreprocessStep step(Source src, String path, JsonNode item) {
        NamedEntry entry = NamedEntry.read(src, path, item, "a preprocessing step", STEPS,
                "write a step name such as `standardize` or a mapping such as `{zca: {eps: 0.1}}`");
        String name = entry.name();
        JsonNode options = entry.options();
        if (!STEPS.contains(name)) {
            String guess = Source.didYouMean(name, STEPS);
            throw src.error(path, "a preprocessing step, one of " + String.join(", ", STEPS), "'" + name + "'",
                    guess != null ? "Did you mean '" + guess + "'?" : "Use one of the names listed");
        }
        Fields f = Fields.of(src, path + "." + name, options, "Write its options as a mapping, e.g. `{" + name + ": {}}`");
        PreprocessStep s = switch (name) {
            case "standardize" -> new PreprocessStep.Standardize(f.choice("mode", "scalar", MODES).equals("per-feature"));
            case "pca" -> new PreprocessStep.Pca(components(f));
            case "pca_whiten" -> new PreprocessStep.PcaWhiten(components(f), eps(f));
            case "resize" -> resize(f);
            default -> new PreprocessStep.Zca(eps(f));
        };
        f.finish();
        return s;
    }

    /** The required {@code size}: one number for a square, or [height, width]. */
    private static PreprocessStep resize(Fields f) {
        String example = "size: [32, 32]";
        JsonNode n = f.raw("size");
        if (n == null) {
            throw f.error("size", "the size to resize to, [height, width] or one number", null, "Add it, e.g. " + example);
        }
        Size2 s = (Size2) Bindings.BINDER.value(Size2.class, f.source(), f.path("size"), n);
        if (s.h() < 1 || s.w() < 1) {
            throw f.error("size", "a height and width >= 1", n, "Write e.g. " + example);
        }
        return new PreprocessStep.Resize(s.h(), s.w());
    }

    /** Absent means all features (0). */
    private static int components(Fields f) {
        return f.integer("components", 0, 1, "components: 50");
    }

    private static double eps(Fields f) {
        double eps = f.number("eps", Projection.DEFAULT_EPS, "eps: 1.0e-5");
        return f.check("eps", eps, eps >= 0, "a number >= 0", "eps: 1.0e-5");
    }

    /** The resolved form: every option written out, the bare name where a step has none. */
    static ArrayNode toTree(List<PreprocessStep> steps) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (PreprocessStep s : steps) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            switch (s) {
                case PreprocessStep.Standardize st -> o.put("mode", st.perFeature() ? "per-feature" : "scalar");
                case PreprocessStep.Pca p -> components(o, p.components());
                case PreprocessStep.PcaWhiten p -> components(o, p.components()).put("eps", p.eps());
                case PreprocessStep.Zca z -> o.put("eps", z.eps());
                case PreprocessStep.Resize r -> o.putArray("size").add(r.height()).add(r.width());
            }
            if (o.isEmpty()) {
                a.add(s.name());
            } else {
                a.addObject().set(s.name(), o);
            }
        }
        return a;
    }

    private static ObjectNode components(ObjectNode o, int components) {
        return components == 0 ? o : o.put("components", components);
    }
}
