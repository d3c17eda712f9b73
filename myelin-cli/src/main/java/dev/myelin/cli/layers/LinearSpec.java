package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.WeightNorm;

/**
 * {@code y = x W^T + b} with {@code out} outputs; with {@code weight_norm}, W is trained as
 * g·v/‖v‖ (Salimans &amp; Kingma 2016; state-dict keys weight_g, weight_v as PyTorch's).
 * {@code init} (optional) sets the weight's initialization (see {@link InitSpec}), else the
 * model's top-level {@code init} applies; weight norm starts from the initialized weight.
 */
public record LinearSpec(int out, boolean bias, boolean weightNorm, InitSpec init) implements LayerSpec {
    public LinearSpec(int out, boolean bias) {
        this(out, bias, false, null);
    }

    public LinearSpec(int out, boolean bias, boolean weightNorm) {
        this(out, bias, weightNorm, null);
    }

    static LinearSpec parse(String name, Fields f) {
        return new LinearSpec(f.integer("out", null, 1, "`- linear: {out: 10}`"), f.bool("bias", true),
                f.bool("weight_norm", false), InitSpec.parse(f.source(), f.path("init"), f.raw("init")));
    }

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public ObjectNode options() {
        return InitSpec.putInto(LayerSpec.obj().put("out", out).put("bias", bias).put("weight_norm", weightNorm), init);
    }

    @Override
    public Module build(LayerContext ctx) {
        ctx.requireFlat();
        Linear lin = new Linear(ctx.shape()[0], out, bias, ctx.rng());
        ctx.initWeight(init, lin.weight());
        ctx.shape(out);
        return weightNorm ? new WeightNorm(lin) : lin;
    }
}
