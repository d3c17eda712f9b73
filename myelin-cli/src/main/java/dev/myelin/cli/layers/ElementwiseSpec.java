package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Module;

/**
 * An element-wise activation without options: relu, sigmoid, tanh, selu, silu (alias swish),
 * mish or hardsigmoid.
 */
public record ElementwiseSpec(String name) implements LayerSpec {
    static ElementwiseSpec parse(String name, Fields f) {
        return new ElementwiseSpec(name);
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj();
    }

    @Override
    public Module build(LayerContext ctx) {
        return switch (name) {
            case "relu" -> Activation.relu();
            case "sigmoid" -> Activation.sigmoid();
            case "tanh" -> Activation.tanh();
            case "selu" -> Activation.selu();
            case "silu", "swish" -> Activation.silu();
            case "mish" -> Activation.mish();
            case "hardsigmoid" -> Activation.hardsigmoid();
            default -> throw new IllegalStateException("no element-wise activation named " + name);
        };
    }
}
