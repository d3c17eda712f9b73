package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Maxout;
import dev.myelin.nn.Module;

/**
 * A maxout layer: {@code out} units, each the max of {@code pieces} affine maps of the input
 * (Goodfellow et al. 2013); {@code init} as {@link LinearSpec}'s.
 */
public record MaxoutSpec(int out, int pieces, InitSpec init) implements LayerSpec {
    static MaxoutSpec parse(String name, Fields f) {
        return new MaxoutSpec(f.integer("out", null, 1, "`- maxout: {out: 256, pieces: 2}`"),
                f.integer("pieces", 2, 2, "pieces: 2"), InitSpec.parse(f.source(), f.path("init"), f.raw("init")));
    }

    @Override
    public String name() {
        return "maxout";
    }

    @Override
    public ObjectNode options() {
        return InitSpec.putInto(LayerSpec.obj().put("out", out).put("pieces", pieces), init);
    }

    @Override
    public Module build(LayerContext ctx) {
        ctx.requireFlat();
        Maxout m = new Maxout(ctx.shape()[0], out, pieces, ctx.rng());
        ctx.initWeight(init, m.weight());
        ctx.shape(out);
        return m;
    }
}
