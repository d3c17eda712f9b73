package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.GaussianNoise;
import dev.myelin.nn.Module;

/** Adds N(0, std²) noise to its input in training (noise injection); the identity in evaluation. */
public record GaussianNoiseSpec(double std) implements LayerSpec {
    static GaussianNoiseSpec parse(String name, Fields f) {
        double std = f.number("std", null, "std: 0.1");
        return new GaussianNoiseSpec(f.check("std", std, std >= 0, "a standard deviation >= 0", "std: 0.1"));
    }

    @Override
    public String name() {
        return "gaussian_noise";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("std", std);
    }

    @Override
    public Module build(LayerContext ctx) {
        return new GaussianNoise(std, ctx.rng());
    }
}
