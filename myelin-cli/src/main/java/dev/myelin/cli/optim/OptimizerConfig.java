package dev.myelin.cli.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.cli.yaml.Source;
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
 * The config's {@code optimizer}: {@code {name: adam, lr: 0.001, ...}} or just {@code adam}, with
 * PyTorch's option names and defaults ({@link OptimizerKind#ALL} lists them), and optional
 * {@code param_groups: [{layers: [0, 1], lr: 1e-4}, ...]}: the parameters of those layers get
 * their own options (the others inherited); the layers no group names form the first group with
 * the optimizer's own options.
 *
 * @param name the optimizer, one of {@link #NAMES}
 * @param values its options, defaults filled in
 * @param groups the param_groups entries (empty: one group)
 */
public record OptimizerConfig(String name, OptValues values, List<ParamGroupConfig> groups) {
    public static final List<String> NAMES = OptimizerKind.names();

    public OptimizerConfig {
        groups = List.copyOf(groups);
    }

    public double lr() {
        return values.number("lr");
    }

    /** Validates the {@code optimizer} node; {@code modelSize} bounds the layer indices of param_groups. */
    public static OptimizerConfig parse(Source src, JsonNode node, int modelSize) {
        if (node != null && node.isTextual()) {
            node = JsonNodeFactory.instance.objectNode().put("name", node.asText());
        }
        Fields f = Fields.of(src, "optimizer", node, "Write e.g. `optimizer: {name: adam, lr: 0.001}`");
        String name = f.choice("name", "adam", NAMES);
        OptimizerKind kind = kind(name);
        OptValues values = OptValues.read(f, kind.options(), null);
        checkNesterov(f, name, values);
        List<ParamGroupConfig> groups = groups(f, kind, values, modelSize);
        f.finish("for " + name);
        return new OptimizerConfig(name, values, groups);
    }

    private static OptimizerKind kind(String name) {
        return OptimizerKind.find(name).orElseThrow(() -> new IllegalArgumentException("unknown optimizer " + name));
    }

    private static void checkNesterov(Fields f, String name, OptValues v) {
        if (name.equals("sgd") && v.bool("nesterov") && (v.number("momentum") <= 0 || v.number("dampening") != 0)) {
            throw f.source().error(f.path("nesterov"), "momentum > 0 and dampening 0 with nesterov: true",
                    "momentum " + v.number("momentum") + ", dampening " + v.number("dampening"),
                    "Set momentum (e.g. 0.9) or nesterov: false");
        }
    }

    private static List<ParamGroupConfig> groups(Fields f, OptimizerKind kind, OptValues inherited, int modelSize) {
        JsonNode n = f.raw("param_groups");
        List<ParamGroupConfig> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!n.isArray()) {
            throw f.error("param_groups", "a list of groups", n, "Write e.g. param_groups: [{layers: [0, 1], lr: 1.0e-4}]");
        }
        Set<Integer> taken = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            Fields g = Fields.of(f.source(), f.path("param_groups") + "[" + i + "]", n.get(i),
                    "Write e.g. {layers: [0, 1], lr: 1.0e-4}");
            ParamGroupConfig group = ParamGroupConfig.parse(g, kind, inherited, modelSize, taken);
            checkNesterov(g, kind.name(), group.values());
            out.add(group);
        }
        return out;
    }

    /** The resolved form, every option written. */
    public ObjectNode toTree() {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("name", name);
        List<Opt> table = kind(name).options();
        values.write(o, table);
        if (!groups.isEmpty()) {
            var a = o.putArray("param_groups");
            groups.forEach(g -> a.add(g.toTree(table)));
        }
        return o;
    }

    /**
     * The optimizer over the model's parameters, grouped by layer. A group whose layers hold no
     * parameter is an error naming the field.
     */
    public Optimizer create(Module model, Source src) {
        OptimizerKind kind = kind(name);
        Map<String, Tensor> named = model.namedParameters();
        List<ParamGroup<OptimizerOptions>> out = new ArrayList<>();
        Set<Integer> grouped = new HashSet<>();
        groups.forEach(g -> grouped.addAll(g.layers()));
        List<Tensor> rest = select(named, l -> !grouped.contains(l));
        if (!rest.isEmpty() || groups.isEmpty()) {
            out.add(new ParamGroup<>(rest, kind.toOptions().apply(values)));
        }
        for (int i = 0; i < groups.size(); i++) {
            ParamGroupConfig g = groups.get(i);
            List<Tensor> ps = select(named, g.layers()::contains);
            if (ps.isEmpty()) {
                throw src.error("optimizer.param_groups[" + i + "].layers", "layers with parameters (e.g. linear,"
                        + " batchnorm1d)", "layers " + g.layers() + ", which have none",
                        "List the layers whose weights the group should hold");
            }
            out.add(new ParamGroup<>(ps, kind.toOptions().apply(g.values())));
        }
        return kind.create().apply(out);
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
