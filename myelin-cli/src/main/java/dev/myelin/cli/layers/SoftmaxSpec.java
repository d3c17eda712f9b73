package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Module;
import java.util.Arrays;
import java.util.stream.Collectors;

/** softmax or log_softmax of {@code x / temperature} along {@code dim}. */
public record SoftmaxSpec(boolean log, int dim, double temperature) implements LayerSpec {
    static SoftmaxSpec parse(String name, Fields f) {
        int dim = f.integer("dim", -1, Integer.MIN_VALUE, "dim: -1");
        double t = f.number("temperature", 1.0, "temperature: 1");
        return new SoftmaxSpec(name.equals("log_softmax"), dim,
                f.check("temperature", t, t > 0, "a number > 0", "temperature: 1"));
    }

    @Override
    public String name() {
        return log ? "log_softmax" : "softmax";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("dim", dim).put("temperature", temperature);
    }

    @Override
    public Module build(LayerContext ctx) {
        int[] shape = ctx.shape();
        int rank = shape.length + 1;
        if (dim < -rank || dim >= rank) {
            String batch = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
            throw ctx.error("dim", "a dimension in " + -rank + ".." + (rank - 1) + " of the batch [N, " + batch + "]",
                    Integer.toString(dim), "Use dim: -1 for the features");
        }
        return log ? Activation.logSoftmax(dim, temperature) : Activation.softmax(dim, temperature);
    }
}
