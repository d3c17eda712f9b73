package dev.myelin.cli.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.cli.yaml.Source;
import dev.myelin.optim.GradClipping;
import dev.myelin.train.GradientClipper;

/**
 * The config's {@code clip}: gradient clipping between the backward pass and the optimizer step,
 * {@code {norm: 1.0}} (global L2 norm, as clip_grad_norm_; {@code per_parameter: true} clips each
 * tensor alone; {@code norm_type} 2, 1 or inf) or {@code {value: 0.5}} (each element to
 * [−0.5, 0.5]). {@code clip: {}} clips nothing and only records the norm. With clip present,
 * metrics.csv gains {@code grad_norm_mean} and {@code grad_norm_max}: the global L2 norm of the
 * gradients before clipping, mean and largest over the epoch.
 *
 * @param norm the largest norm (0: not clipping by norm)
 * @param value the largest absolute element (0: not clipping by value)
 * @param normType p of the norm, or infinity
 * @param perParameter clip each gradient tensor by its own norm
 * @param errorIfNonfinite stop training with the parameter named when the norm is NaN or infinite
 */
public record ClipConfig(double norm, double value, double normType, boolean perParameter, boolean errorIfNonfinite) {

    public static ClipConfig parse(Source src, JsonNode node) {
        Fields f = Fields.of(src, "clip", node, "Write e.g. `clip: {norm: 1.0}` or `clip: {value: 0.5}`");
        if (f.has("norm") && f.has("value")) {
            throw src.error("clip.value", "either norm or value", "both norm and value",
                    "Keep one: clip by norm keeps the gradient's direction, by value does not");
        }
        double norm = f.number("norm", 0.0, "norm: 1.0");
        f.check("norm", norm, norm > 0 || !f.has("norm"), "a number > 0", "norm: 1.0");
        double value = f.number("value", 0.0, "value: 0.5");
        f.check("value", value, value > 0 || !f.has("value"), "a number > 0", "value: 0.5");
        double p = normType(f);
        boolean perParameter = f.bool("per_parameter", false);
        if (norm == 0 && (f.has("norm_type") || perParameter)) {
            throw src.error(f.has("norm_type") ? "clip.norm_type" : "clip.per_parameter", "norm clipping (clip.norm)",
                    value > 0 ? "clipping by value" : "no clip.norm", "Add e.g. norm: 1.0, or remove the option");
        }
        boolean error = f.bool("error_if_nonfinite", true);
        f.finish();
        return new ClipConfig(norm, value, p, perParameter, error);
    }

    private static double normType(Fields f) {
        JsonNode n = f.raw("norm_type");
        if (n != null && n.isTextual() && n.asText().equalsIgnoreCase("inf")) {
            return Double.POSITIVE_INFINITY;
        }
        double p = f.number("norm_type", 2.0, "norm_type: 2");
        return f.check("norm_type", p, p >= 1, "a number >= 1 or inf", "norm_type: 2");
    }

    /** The training callback: clipping (or only recording) and the grad_norm columns. */
    public GradientClipper create() {
        GradClipping rule = norm > 0 ? new GradClipping.ByNorm(norm, normType, perParameter, errorIfNonfinite)
                : value > 0 ? new GradClipping.ByValue(value) : null;
        return new GradientClipper(rule);
    }

    public ObjectNode toTree() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (norm > 0) {
            o.put("norm", norm);
            if (Double.isInfinite(normType)) {
                o.put("norm_type", "inf");
            } else {
                o.put("norm_type", normType);
            }
            o.put("per_parameter", perParameter);
        }
        if (value > 0) {
            o.put("value", value);
        }
        return o.put("error_if_nonfinite", errorIfNonfinite);
    }
}
