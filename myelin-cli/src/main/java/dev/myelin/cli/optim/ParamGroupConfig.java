package dev.myelin.cli.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.cli.yaml.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One entry of {@code optimizer.param_groups}: the layers (indices into {@code model}) whose
 * parameters form the group, and the group's optimizer options; every option the entry does
 * not write is inherited from the optimizer's own. PyTorch's param_groups, addressed by layer.
 *
 * @param layers the model indices, in the order written
 * @param values the group's options, inherited ones filled in
 */
public record ParamGroupConfig(List<Integer> layers, OptValues values) {
    public ParamGroupConfig {
        layers = List.copyOf(layers);
    }

    static ParamGroupConfig parse(Fields f, OptimizerKind kind, OptValues inherited, int modelSize, Set<Integer> taken) {
        List<Integer> layers = layers(f, modelSize, taken);
        OptValues v = OptValues.read(f, kind.options(), inherited);
        f.finish("for optimizer " + kind.name() + " (layers, then the optimizer's options)");
        return new ParamGroupConfig(layers, v);
    }

    private static List<Integer> layers(Fields f, int modelSize, Set<Integer> taken) {
        JsonNode n = f.raw("layers");
        String field = f.path("layers");
        String example = "layers: [0, 1]";
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw f.source().error(field, "a non-empty list of layer indices (positions in model, from 0)",
                    Source.describe(n), "Write e.g. " + example);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            String at = field + "[" + i + "]";
            if (!e.canConvertToExactIntegral() || e.asInt() < 0 || e.asInt() >= modelSize) {
                throw f.source().error(at, "a layer index in [0, " + (modelSize - 1) + "] (the model has " + modelSize
                        + " layers)", Source.describe(e), "Write the position of a layer in model, e.g. " + example);
            }
            if (!taken.add(e.asInt())) {
                throw f.source().error(at, "a layer in one parameter group only", "layer " + e.asInt() + " again",
                        "Remove it from one of the groups");
            }
            out.add(e.asInt());
        }
        return out;
    }

    ObjectNode toTree(List<Opt> table) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        var a = o.putArray("layers");
        layers.forEach(a::add);
        values.write(o, table);
        return o;
    }
}
