package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Module;

/** Zeroes each value with probability {@code p} in training (scaled by {@code 1/(1-p)}). */
public record DropoutSpec(double p) implements LayerSpec {
    static DropoutSpec parse(String name, Fields f) {
        double p = f.number("p", 0.5, "p: 0.2");
        return new DropoutSpec(f.check("p", p, p >= 0 && p < 1, "a probability in [0, 1)", "p: 0.2"));
    }

    @Override
    public String name() {
        return "dropout";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("p", p);
    }

    @Override
    public Module build(LayerContext ctx) {
        return new Dropout(p, ctx.rng());
    }
}
