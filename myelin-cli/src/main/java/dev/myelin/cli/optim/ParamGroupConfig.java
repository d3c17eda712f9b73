package dev.myelin.cli.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.model.bind.Bindings;
import dev.myelin.model.bind.Source;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One entry of {@code optimizer.param_groups}: the layers (indices into {@code model}) whose
 * parameters form the group, and the group's optimizer options; every option the entry does
 * not write is inherited from the optimizer's own. PyTorch's param_groups, addressed by layer.
 *
 * @param layers  the model indices, in the order written
 * @param options the group's options record, inherited ones filled in
 */
public record ParamGroupConfig(List<Integer> layers, Record options) {
    public ParamGroupConfig {
        layers = List.copyOf(layers);
    }

    /** Reads the {@code param_groups} list (null: none) over the optimizer's {@code inherited} options. */
    static List<ParamGroupConfig> parseAll(Source src, JsonNode n, Record inherited, int modelSize) {
        List<ParamGroupConfig> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        String path = "optimizer.param_groups";
        if (!n.isArray()) {
            throw src.error(path, "a list of groups", Source.describe(n), "Write e.g. param_groups: [{layers: [0, 1], lr: 1.0e-4}]");
        }
        Set<Integer> taken = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            String at = path + "[" + i + "]";
            List<Integer> layers = layers(src, at + ".layers", n.get(i).get("layers"), modelSize, taken);
            out.add(new ParamGroupConfig(layers, Bindings.BINDER.readOver(inherited, src, at, n.get(i), List.of("layers"))));
        }
        return out;
    }

    private static List<Integer> layers(Source src, String field, JsonNode n, int modelSize, Set<Integer> taken) {
        String example = "layers: [0, 1]";
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw src.error(field, "a non-empty list of layer indices (positions in model, from 0)",
                    Source.describe(n), "Write e.g. " + example);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            String at = field + "[" + i + "]";
            if (!e.canConvertToExactIntegral() || e.asInt() < 0 || e.asInt() >= modelSize) {
                throw src.error(at, "a layer index in [0, " + (modelSize - 1) + "] (the model has " + modelSize
                        + " layers)", Source.describe(e), "Write the position of a layer in model, e.g. " + example);
            }
            if (!taken.add(e.asInt())) {
                throw src.error(at, "a layer in one parameter group only", "layer " + e.asInt() + " again",
                        "Remove it from one of the groups");
            }
            out.add(e.asInt());
        }
        return out;
    }

    ObjectNode toTree() {
        ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        var a = o.putArray("layers");
        layers.forEach(a::add);
        o.setAll(Bindings.BINDER.write(options));
        return o;
    }
}
