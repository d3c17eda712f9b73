package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.nn.Module;

/**
 * One entry of the config's {@code model} list: a layer name ({@code relu}) or a mapping from
 * one layer name to its options ({@code linear: {out: 256}}). Input sizes are not written:
 * they follow from the data and the layers before. Each layer type is one class that reads its
 * options ({@link Layers} lists them) and builds its module for the shape it receives.
 */
public interface LayerSpec {
    /** The name as written in the config. */
    String name();

    /** The options, defaults filled in (empty for layers without options). */
    ObjectNode options();

    /**
     * Builds the layer for samples of shape {@link LayerContext#shape()} and sets the shape of
     * its output with {@link LayerContext#shape(int...)}. A shape the layer cannot take is
     * reported with {@link LayerContext#error}.
     */
    Module build(LayerContext ctx);

    /** The resolved form: the bare name for layers without options, else {@code {name: {options}}}. */
    default JsonNode toTree() {
        ObjectNode o = options();
        if (o.isEmpty()) {
            return JsonNodeFactory.instance.textNode(name());
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set(name(), o);
        return n;
    }

    /** An empty options mapping to fill. */
    static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }
}
