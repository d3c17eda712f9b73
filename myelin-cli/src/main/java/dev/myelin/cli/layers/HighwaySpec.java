package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Highway;
import dev.myelin.nn.Module;
import java.util.List;

/** A highway layer {@code y = T·H(x) + (1 − T)·x} of the input's width (Srivastava et al. 2015). */
public record HighwaySpec(String activation, double gateBias) implements LayerSpec {
    static final List<String> ACTIVATIONS = List.of("relu", "tanh", "sigmoid");

    static HighwaySpec parse(String name, Fields f) {
        String act = f.choice("activation", "relu", ACTIVATIONS);
        return new HighwaySpec(act, f.number("gate_bias", Highway.DEFAULT_GATE_BIAS, "gate_bias: -2"));
    }

    @Override
    public String name() {
        return "highway";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("activation", activation).put("gate_bias", gateBias);
    }

    @Override
    public Module build(LayerContext ctx) {
        ctx.requireFlat();
        Activation act = switch (activation) {
            case "tanh" -> Activation.tanh();
            case "sigmoid" -> Activation.sigmoid();
            default -> Activation.relu();
        };
        return new Highway(ctx.shape()[0], act, gateBias, ctx.rng());
    }
}
