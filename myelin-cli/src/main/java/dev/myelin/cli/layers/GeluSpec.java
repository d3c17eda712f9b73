package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Module;
import java.util.List;

/** {@code x·Φ(x)}, exact ({@code approximate: none}) or with PyTorch's tanh approximation. */
public record GeluSpec(String approximate) implements LayerSpec {
    static GeluSpec parse(String name, Fields f) {
        return new GeluSpec(f.choice("approximate", "none", List.of("none", "tanh")));
    }

    @Override
    public String name() {
        return "gelu";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("approximate", approximate);
    }

    @Override
    public Module build(LayerContext ctx) {
        return Activation.gelu(approximate);
    }
}
