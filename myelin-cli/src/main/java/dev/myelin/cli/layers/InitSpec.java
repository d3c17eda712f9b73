package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.cli.yaml.Source;
import dev.myelin.nn.init.Init;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.List;

/**
 * A weight initialization chosen in the config, {@code init: NAME} or
 * {@code init: {name: NAME, OPTION: VALUE}}, on a layer with weights (linear, maxout) or for the
 * whole model (the top-level {@code init:}, see {@link ModelInit}). The names and defaults are
 * torch.nn.init's; {@code default} keeps the layer's own (PyTorch's) initialization. Biases are
 * never changed. {@code options} holds every option with its default filled in.
 */
public record InitSpec(String name, ObjectNode options) {
    /** The names a layer may use (the model level adds lsuv). */
    public static final List<String> NAMES = List.of("default", "uniform", "normal", "constant", "zeros", "ones",
            "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "lecun_normal", "orthogonal",
            "looks_linear");
    /** PyTorch's own initialization of each layer. */
    public static final InitSpec DEFAULT = new InitSpec("default", JsonNodeFactory.instance.objectNode());
    private static final List<String> NONLINEARITIES = List.of("leaky_relu", "relu", "tanh", "sigmoid", "linear", "selu");

    /** An init's name and the mapping its options are read from. */
    record Named(String name, Fields fields) {
    }

    /** Reads {@code node} at {@code path}: a name, or a mapping with {@code name}, one of {@code names}. */
    static Named read(Source src, String path, JsonNode node, List<String> names) {
        String example = "`init: kaiming_normal` or `init: {name: kaiming_normal, nonlinearity: relu}`";
        if (node != null && node.isTextual()) {
            String n = node.asText();
            if (!names.contains(n)) {
                String guess = Source.didYouMean(n, names);
                throw src.error(path, "an initialization, one of " + String.join(", ", names), "'" + n + "'",
                        guess != null ? "Did you mean '" + guess + "'?" : "Use one of the names listed");
            }
            return new Named(n, Fields.of(src, path, null, example));
        }
        Fields f = Fields.of(src, path, node, "Write " + example);
        return new Named(f.choice("name", null, names), f);
    }

    /** Parses a layer's {@code init} option ({@code node} null: null, inherit the model's). */
    public static InitSpec parse(Source src, String path, JsonNode node) {
        if (node == null) {
            return null;
        }
        Named n = read(src, path, node, NAMES);
        InitSpec spec = options(n.name(), n.fields());
        n.fields().finish("for init " + n.name());
        return spec;
    }

    /** Reads the options of {@code name} from {@code f}, defaults filled in. */
    static InitSpec options(String name, Fields f) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        switch (name) {
            case "uniform" -> {
                double a = f.number("a", 0.0, "a: -0.1");
                double b = f.number("b", 1.0, "b: 0.1");
                f.check("b", b, b > a, "a number > a (" + a + ")", "b: " + (a + 1));
                o.put("a", a).put("b", b);
            }
            case "normal" -> {
                double std = f.number("std", 1.0, "std: 0.01");
                o.put("mean", f.number("mean", 0.0, "mean: 0")).put("std", f.check("std", std, std >= 0, "a number >= 0", "std: 0.01"));
            }
            case "constant" -> o.put("val", f.number("val", null, "val: 0.1"));
            case "xavier_uniform", "xavier_normal", "orthogonal", "looks_linear" -> o.put("gain", gain(f));
            case "kaiming_uniform", "kaiming_normal" -> {
                o.put("a", f.number("a", 0.0, "a: 0"));
                o.put("mode", f.choice("mode", "fan_in", List.of("fan_in", "fan_out")));
                o.put("nonlinearity", f.choice("nonlinearity", "leaky_relu", NONLINEARITIES));
            }
            default -> {
                // default, zeros, ones, lecun_normal: no options
            }
        }
        return new InitSpec(name, o);
    }

    private static double gain(Fields f) {
        double g = f.number("gain", 1.0, "gain: 1.0");
        return f.check("gain", g, g > 0, "a number > 0", "gain: 1.4142");
    }

    /** The resolved form: the bare name without options, else {@code {name: ..., options}}. */
    public JsonNode toTree() {
        if (options.isEmpty()) {
            return JsonNodeFactory.instance.textNode(name);
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("name", name);
        n.setAll(options);
        return n;
    }

    /** Adds {@code init: ...} to a layer's resolved options when the layer names one. */
    static ObjectNode putInto(ObjectNode options, InitSpec init) {
        if (init != null) {
            options.set("init", init.toTree());
        }
        return options;
    }

    /** Fills {@code weight} in place (nothing for {@code default}). */
    public void apply(Tensor weight, Rng rng) {
        switch (name) {
            case "default" -> {
            }
            case "uniform" -> Init.uniform(weight, num("a"), num("b"), rng);
            case "normal" -> Init.normal(weight, num("mean"), num("std"), rng);
            case "constant" -> Init.constant(weight, num("val"));
            case "zeros" -> Init.zeros(weight);
            case "ones" -> Init.ones(weight);
            case "xavier_uniform" -> Init.xavierUniform(weight, num("gain"), rng);
            case "xavier_normal" -> Init.xavierNormal(weight, num("gain"), rng);
            case "kaiming_uniform" -> Init.kaimingUniform(weight, num("a"), mode(), text("nonlinearity"), rng);
            case "kaiming_normal" -> Init.kaimingNormal(weight, num("a"), mode(), text("nonlinearity"), rng);
            case "lecun_normal" -> Init.lecunNormal(weight, rng);
            case "orthogonal" -> Init.orthogonal(weight, num("gain"), rng);
            case "looks_linear" -> Init.looksLinear(weight, num("gain"), rng);
            default -> throw new IllegalStateException("no initialization named " + name);
        }
    }

    private double num(String key) {
        return options.get(key).asDouble();
    }

    private String text(String key) {
        return options.get(key).asText();
    }

    private Init.FanMode mode() {
        return text("mode").equals("fan_out") ? Init.FanMode.FAN_OUT : Init.FanMode.FAN_IN;
    }
}
