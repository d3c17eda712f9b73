package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.registry.Bindings;
import dev.myelin.cli.registry.Choice;
import dev.myelin.nn.Module;

/**
 * A model entry bound to a core layer's own {@code Options} record through the {@link Layers}
 * registry: it builds the layer and takes the output shape from the layer itself
 * ({@link LayerContext#infer}).
 */
record BoundLayer(Choice<LayerContext, Module> choice) implements LayerSpec {
    @Override
    public String name() {
        return choice.name();
    }

    @Override
    public ObjectNode options() {
        return choice.options() == null ? JsonNodeFactory.instance.objectNode() : Bindings.BINDER.write(choice.options());
    }

    /** The layer's options record (null for a layer without options). */
    public Record record() {
        return choice.options();
    }

    @Override
    public Module build(LayerContext ctx) {
        return ctx.infer(choice.build(ctx));
    }

    @Override
    public JsonNode toTree() {
        return choice.write(Bindings.BINDER);
    }
}
