package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Module;

/** {@code x > 0 ? x : alpha·(e^x − 1)} (PyTorch's ELU, default alpha 1). */
public record EluSpec(double alpha) implements LayerSpec {
    static EluSpec parse(String name, Fields f) {
        return new EluSpec(f.number("alpha", 1.0, "alpha: 1.0"));
    }

    @Override
    public String name() {
        return "elu";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("alpha", alpha);
    }

    @Override
    public Module build(LayerContext ctx) {
        return Activation.elu(alpha);
    }
}
