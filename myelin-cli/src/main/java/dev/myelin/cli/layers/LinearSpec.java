package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;

/** {@code y = x W^T + b} with {@code out} outputs. */
public record LinearSpec(int out, boolean bias) implements LayerSpec {
    static LinearSpec parse(String name, Fields f) {
        return new LinearSpec(f.integer("out", null, 1, "`- linear: {out: 10}`"), f.bool("bias", true));
    }

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("out", out).put("bias", bias);
    }

    @Override
    public Module build(LayerContext ctx) {
        ctx.requireFlat();
        Linear lin = new Linear(ctx.shape()[0], out, bias, ctx.rng());
        ctx.shape(out);
        return lin;
    }
}
