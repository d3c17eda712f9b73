package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Module;

/** {@code log(1 + e^(beta x)) / beta}, linear above {@code threshold}. */
public record SoftplusSpec(double beta, double threshold) implements LayerSpec {
    static SoftplusSpec parse(String name, Fields f) {
        double beta = f.number("beta", 1.0, "beta: 1");
        f.check("beta", beta, beta > 0, "a number > 0", "beta: 1");
        return new SoftplusSpec(beta, f.number("threshold", 20.0, "threshold: 20"));
    }

    @Override
    public String name() {
        return "softplus";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("beta", beta).put("threshold", threshold);
    }

    @Override
    public Module build(LayerContext ctx) {
        return Activation.softplus(beta, threshold);
    }
}
