package dev.myelin.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.model.bind.Bindings;
import dev.myelin.model.bind.Choice;
import dev.myelin.model.bind.Registry;
import dev.myelin.model.bind.Source;
import dev.myelin.nn.Ensemble;
import dev.myelin.nn.Loss;

/**
 * The config's {@code loss}: a name ({@code loss: cross_entropy}, the default) or a mapping with
 * options ({@code loss: {name: cross_entropy, label_smoothing: 0.1}}), one of {@link #ALL}. Only
 * cross_entropy has an option, label smoothing ({@link Loss.CrossEntropyOptions}).
 */
public record LossSpec(Choice<Void, Loss> choice) {
    /** The losses a config can name: one line each. */
    public static final Registry<Void, Loss> ALL = new Registry<Void, Loss>("a loss")
            .add("cross_entropy", Loss.CrossEntropyOptions.class, (o, c) -> Loss.crossEntropy(o.labelSmoothing()))
            .add("mse", c -> Loss.mse())
            .add("l1", c -> Loss.l1())
            .add("bce_with_logits", c -> Loss.binaryCrossEntropyWithLogits());

    public String name() {
        return choice.name();
    }

    /** Cross-entropy's label smoothing; 0 for the other losses. */
    public double labelSmoothing() {
        return choice.options() instanceof Loss.CrossEntropyOptions o ? o.labelSmoothing() : 0;
    }

    /** The loss function. */
    public Loss create() {
        return choice.build(null);
    }

    /**
     * How predictions of a model trained with this loss read, and how an ensemble of such models
     * averages them: class probabilities (softmax), one probability (sigmoid), or values.
     */
    public Ensemble.Output ensembleOutput() {
        return switch (name()) {
            case "cross_entropy" -> Ensemble.Output.CLASSES;
            case "bce_with_logits" -> Ensemble.Output.BINARY;
            default -> Ensemble.Output.VALUES;
        };
    }

    /** The resolved form: cross_entropy as a mapping with its option, the others as their name. */
    public JsonNode toTree() {
        return choice.write(Bindings.BINDER);
    }

    /** Reads the top-level {@code loss} ({@code node} null, or a mapping without a name: cross_entropy). */
    public static LossSpec parse(Source src, JsonNode node) {
        JsonNode n = node == null ? JsonNodeFactory.instance.textNode("cross_entropy") : node;
        if (n.isObject() && !n.has("name")) {
            n = ((com.fasterxml.jackson.databind.node.ObjectNode) n.deepCopy()).put("name", "cross_entropy");
        }
        return new LossSpec(Choice.read(ALL, Bindings.BINDER, src, "loss", n, Choice.Style.NAMED));
    }
}
