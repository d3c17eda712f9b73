package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Module;

/** {@code x > 0 ? x : negative_slope·x} (PyTorch's LeakyReLU, default slope 0.01). */
public record LeakyReluSpec(double negativeSlope) implements LayerSpec {
    static LeakyReluSpec parse(String name, Fields f) {
        return new LeakyReluSpec(f.number("negative_slope", 0.01, "negative_slope: 0.01"));
    }

    @Override
    public String name() {
        return "leaky_relu";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("negative_slope", negativeSlope);
    }

    @Override
    public Module build(LayerContext ctx) {
        return Activation.leakyRelu(negativeSlope);
    }
}
