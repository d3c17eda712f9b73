package dev.myelin.cli.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.model.bind.Bindings;
import dev.myelin.model.bind.Choice;
import dev.myelin.model.bind.Source;
import dev.myelin.nn.Module;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.OptimizerOptions;
import dev.myelin.optim.ParamGroup;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The config's {@code optimizer}: {@code {name: adam, lr: 0.001, ...}} or just {@code adam} (the
 * name defaults to adam), its options the core's ({@link Optimizers}), and optional
 * {@code param_groups: [{layers: [0, 1], lr: 1e-4}, ...]}: the parameters of those layers get
 * their own options (the others inherited); the layers no group names form the first group with
 * the optimizer's own options.
 *
 * @param choice the optimizer and its options
 * @param groups the param_groups entries (empty: one group)
 */
public record OptimizerConfig(Choice<List<ParamGroup<OptimizerOptions>>, Optimizer> choice,
                              List<ParamGroupConfig> groups) {
    public static final List<String> NAMES = Optimizers.ALL.names();

    public OptimizerConfig {
        groups = List.copyOf(groups);
    }

    public String name() {
        return choice.name();
    }

    /** The optimizer's own options (the first group's). */
    public OptimizerOptions options() {
        return (OptimizerOptions) choice.options();
    }

    public double lr() {
        return options().lr();
    }

    /** Validates the {@code optimizer} node; {@code modelSize} bounds the layer indices of param_groups. */
    public static OptimizerConfig parse(Source src, JsonNode node, int modelSize) {
        ObjectNode o = node == null ? JsonNodeFactory.instance.objectNode()
                : node.isTextual() ? JsonNodeFactory.instance.objectNode().put("name", node.asText())
                : node.isObject() ? ((ObjectNode) node).deepCopy() : null;
        if (o == null) {
            throw src.error("optimizer", "a mapping such as {name: adam, lr: 0.001}", Source.describe(node),
                    "Write e.g. `optimizer: {name: adam, lr: 0.001}`");
        }
        if (!o.has("name")) {
            o.put("name", "adam");
        }
        JsonNode groups = o.remove("param_groups");
        var choice = Choice.read(Optimizers.ALL, Bindings.BINDER, src, "optimizer", o, Choice.Style.NAMED);
        return new OptimizerConfig(choice, ParamGroupConfig.parseAll(src, groups, choice.options(), modelSize));
    }

    /** The resolved form, every option written. */
    public JsonNode toTree() {
        ObjectNode o = (ObjectNode) choice.write(Bindings.BINDER);
        if (!groups.isEmpty()) {
            var a = o.putArray("param_groups");
            groups.forEach(g -> a.add(g.toTree()));
        }
        return o;
    }

    /**
     * The optimizer over the model's parameters, grouped by layer. A group whose layers hold no
     * parameter is an error naming the field.
     */
    public Optimizer create(Module model, Source src) {
        Map<String, Tensor> named = model.namedParameters();
        List<ParamGroup<OptimizerOptions>> out = new ArrayList<>();
        Set<Integer> grouped = new HashSet<>();
        groups.forEach(g -> grouped.addAll(g.layers()));
        List<Tensor> rest = select(named, l -> !grouped.contains(l));
        if (!rest.isEmpty() || groups.isEmpty()) {
            out.add(new ParamGroup<>(rest, options()));
        }
        for (int i = 0; i < groups.size(); i++) {
            ParamGroupConfig g = groups.get(i);
            List<Tensor> ps = select(named, g.layers()::contains);
            if (ps.isEmpty()) {
                throw src.error("optimizer.param_groups[" + i + "].layers", "layers with parameters (e.g. linear,"
                        + " batchnorm1d)", "layers " + g.layers() + ", which have none",
                        "List the layers whose weights the group should hold");
            }
            out.add(new ParamGroup<>(ps, (OptimizerOptions) g.options()));
        }
        return choice.build(out);
    }

    /** The parameters whose state-dict key starts with a selected layer index ("3.weight" is layer 3). */
    private static List<Tensor> select(Map<String, Tensor> named, java.util.function.IntPredicate layer) {
        List<Tensor> out = new ArrayList<>();
        named.forEach((key, t) -> {
            int dot = key.indexOf('.');
            if (dot > 0 && layer.test(Integer.parseInt(key.substring(0, dot)))) {
                out.add(t);
            }
        });
        return out;
    }
}
