package dev.myelin.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.model.bind.Bindings;
import dev.myelin.model.bind.Choice;
import dev.myelin.nn.Module;

/**
 * One entry of the config's {@code model} list: a layer name ({@code relu}) or a mapping from
 * one layer name to its options ({@code linear: {out: 256}}), bound to the core layer's own
 * {@code Options} record through the {@link Layers} registry. Input sizes are not written: they
 * follow from the data and the layers before, and the layer's output shape is taken from the
 * built layer itself ({@link LayerContext#infer}).
 */
public record LayerSpec(Choice<LayerContext, Module> choice) {
    /** The name as written in the config. */
    public String name() {
        return choice.name();
    }

    /** The options, defaults filled in (empty for layers without options). */
    public ObjectNode options() {
        return choice.options() == null ? JsonNodeFactory.instance.objectNode() : Bindings.BINDER.write(choice.options());
    }

    /** The layer's options record (null for a layer without options). */
    public Record record() {
        return choice.options();
    }

    /** Builds the layer for samples of shape {@link LayerContext#shape()} and sets its output shape there. */
    public Module build(LayerContext ctx) {
        return ctx.infer(choice.build(ctx));
    }

    /** The resolved form: the bare name for layers without options, else {@code {name: {options}}}. */
    public JsonNode toTree() {
        return choice.write(Bindings.BINDER);
    }
}
