package dev.myelin.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Loss;
import java.util.List;

/**
 * The config's {@code loss}: a name ({@code loss: cross_entropy}) or a mapping with options
 * ({@code loss: {name: cross_entropy, label_smoothing: 0.1}}). Only cross_entropy has an
 * option, label smoothing (default 0, PyTorch's).
 */
public record LossConfig(String name, double labelSmoothing) {
    public static final List<String> NAMES = List.of("cross_entropy", "mse", "l1", "bce_with_logits");

    /** The loss function. */
    public Loss create() {
        return switch (name) {
            case "cross_entropy" -> Loss.crossEntropy(labelSmoothing);
            case "mse" -> Loss.mse();
            case "l1" -> Loss.l1();
            default -> Loss.binaryCrossEntropyWithLogits();
        };
    }

    /** The resolved form: cross_entropy as a mapping with its option, the others as their name. */
    public JsonNode toTree() {
        if (!name.equals("cross_entropy")) {
            return JsonNodeFactory.instance.textNode(name);
        }
        return JsonNodeFactory.instance.objectNode().put("name", name).put("label_smoothing", labelSmoothing);
    }

    /** Reads the top-level key {@code loss} of {@code root}. */
    static LossConfig parse(Fields root) {
        JsonNode n = root.raw("loss");
        if (n == null || !n.isObject()) {
            return new LossConfig(root.choice("loss", "cross_entropy", NAMES), 0);
        }
        Fields f = Fields.of(root.source(), "loss", n, "Write e.g. `loss: {name: cross_entropy, label_smoothing: 0.1}`");
        String name = f.choice("name", "cross_entropy", NAMES);
        double smoothing = 0;
        if (name.equals("cross_entropy")) {
            smoothing = f.number("label_smoothing", 0.0, "label_smoothing: 0.1");
            f.check("label_smoothing", smoothing, smoothing >= 0 && smoothing <= 1, "a number in [0, 1]",
                    "label_smoothing: 0.1");
        }
        f.finish("for " + name);
        return new LossConfig(name, smoothing);
    }
}
