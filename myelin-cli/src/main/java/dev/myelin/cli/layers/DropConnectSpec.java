package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.DropConnect;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import java.util.List;
import java.util.Locale;

/**
 * A linear layer whose weights are dropped with probability {@code p} in training (Wan et al.
 * 2013): {@code dropconnect: {out: 1024, p: 0.5, mode: per_batch}}. Its parameters and keys
 * are a linear layer's, so its checkpoint loads into {@code linear: {out: 1024}}.
 */
public record DropConnectSpec(int out, boolean bias, double p, DropConnect.Mode mode) implements LayerSpec {
    private static final List<String> MODES = List.of("per_batch", "per_sample");

    static DropConnectSpec parse(String name, Fields f) {
        int out = f.integer("out", null, 1, "`- dropconnect: {out: 256, p: 0.5}`");
        boolean bias = f.bool("bias", true);
        double p = f.number("p", 0.5, "p: 0.5");
        f.check("p", p, p >= 0 && p < 1, "a probability in [0, 1)", "p: 0.5");
        String mode = f.choice("mode", "per_batch", MODES);
        return new DropConnectSpec(out, bias, p, DropConnect.Mode.valueOf(mode.toUpperCase(Locale.ROOT)));
    }

    @Override
    public String name() {
        return "dropconnect";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("out", out).put("bias", bias).put("p", p)
                .put("mode", mode.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public Module build(LayerContext ctx) {
        ctx.requireFlat();
        Linear linear = new Linear(ctx.shape()[0], out, bias, ctx.rng());
        ctx.initWeight(null, linear.weight()); // the model's top-level init, as a linear layer
        DropConnect layer = new DropConnect(linear, p, mode, ctx.rng());
        ctx.shape(out);
        return layer;
    }
}
