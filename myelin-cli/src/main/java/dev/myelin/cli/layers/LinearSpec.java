package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;

/**
 * {@code y = x W^T + b} with {@code out} outputs; {@code init} (optional) sets the weight's
 * initialization (see {@link InitSpec}), else the model's top-level {@code init} applies.
 */
public record LinearSpec(int out, boolean bias, InitSpec init) implements LayerSpec {
    public LinearSpec(int out, boolean bias) {
        this(out, bias, null);
    }

    static LinearSpec parse(String name, Fields f) {
        return new LinearSpec(f.integer("out", null, 1, "`- linear: {out: 10}`"), f.bool("bias", true),
                InitSpec.parse(f.source(), f.path("init"), f.raw("init")));
    }

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public ObjectNode options() {
        ObjectNode o = LayerSpec.obj().put("out", out).put("bias", bias);
        if (init != null) {
            o.set("init", init.toTree());
        }
        return o;
    }

    @Override
    public Module build(LayerContext ctx) {
        ctx.requireFlat();
        Linear lin = new Linear(ctx.shape()[0], out, bias, ctx.rng());
        ctx.initWeight(init, lin.weight());
        ctx.shape(out);
        return lin;
    }
}
