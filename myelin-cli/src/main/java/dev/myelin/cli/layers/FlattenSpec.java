package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Module;

/** Flattens all dimensions after the batch one: {@code [N, d1, d2, ...] -> [N, d1*d2*...]}. */
public record FlattenSpec() implements LayerSpec {
    @Override
    public String name() {
        return "flatten";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj();
    }

    @Override
    public Module build(LayerContext ctx) {
        ctx.shape(ctx.size());
        return new Flatten();
    }
}
