package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Module;
import dev.myelin.nn.PRelu;

/**
 * PReLU with learned negative slopes (PyTorch's PReLU): {@code num_parameters} is 1 (one slope)
 * or the number of input features (one each); {@code init} is the slopes' initial value (0.25).
 */
public record PReluSpec(int numParameters, double init) implements LayerSpec {
    static PReluSpec parse(String name, Fields f) {
        return new PReluSpec(f.integer("num_parameters", 1, 1, "num_parameters: 1"), f.number("init", 0.25, "init: 0.25"));
    }

    @Override
    public String name() {
        return "prelu";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("num_parameters", numParameters).put("init", init);
    }

    @Override
    public Module build(LayerContext ctx) {
        int features = ctx.shape().length == 0 ? 1 : ctx.shape()[0];
        if (numParameters != 1 && numParameters != features) {
            throw ctx.error("num_parameters", "1 or the number of input features (" + features + ")",
                    Integer.toString(numParameters), "Set num_parameters: 1 or num_parameters: " + features);
        }
        return new PRelu(numParameters, init);
    }
}
