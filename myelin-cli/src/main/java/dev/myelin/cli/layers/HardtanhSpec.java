package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Module;

/** {@code min(max(x, min_val), max_val)} (PyTorch's Hardtanh, defaults −1 and 1). */
public record HardtanhSpec(double minVal, double maxVal) implements LayerSpec {
    static HardtanhSpec parse(String name, Fields f) {
        double min = f.number("min_val", -1.0, "min_val: -1");
        double max = f.number("max_val", 1.0, "max_val: 1");
        f.check("max_val", max, max > min, "a number > min_val (" + min + ")", "max_val: " + (min + 2));
        return new HardtanhSpec(min, max);
    }

    @Override
    public String name() {
        return "hardtanh";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("min_val", minVal).put("max_val", maxVal);
    }

    @Override
    public Module build(LayerContext ctx) {
        return Activation.hardtanh(minVal, maxVal);
    }
}
