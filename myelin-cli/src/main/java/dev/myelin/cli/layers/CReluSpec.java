package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Module;

/**
 * {@code concat(relu(x), relu(−x))} along the features: doubles the width of a sample [F] (or
 * the channels of [C, ...]). A linear layer after it may use {@code init: looks_linear}.
 */
public record CReluSpec() implements LayerSpec {
    static CReluSpec parse(String name, Fields f) {
        return new CReluSpec();
    }

    @Override
    public String name() {
        return "crelu";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj();
    }

    @Override
    public Module build(LayerContext ctx) {
        int[] s = ctx.shape();
        if (s.length == 0) {
            throw ctx.error("samples with a feature dimension", "Put crelu after a layer with features");
        }
        s[0] *= 2;
        ctx.shape(s);
        return Activation.crelu();
    }
}
