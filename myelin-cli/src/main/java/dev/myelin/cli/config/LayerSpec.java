package dev.myelin.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One entry of the config's {@code model} list: a layer name ({@code relu}) or a mapping from
 * one layer name to its options ({@code linear: {out: 256}}). Input sizes are not written:
 * they follow from the data and the layers before.
 */
public sealed interface LayerSpec {
    /** The layer names a config may use. */
    List<String> NAMES = List.of("flatten", "linear", "batchnorm1d", "dropout", "relu", "sigmoid", "tanh", "softplus",
            "softmax", "log_softmax");

    /** The name as written in the config. */
    String name();

    /** The options, defaults filled in (empty for layers without options). */
    ObjectNode options();

    /** The resolved form: the bare name for layers without options, else {@code {name: {options}}}. */
    default JsonNode toTree() {
        ObjectNode o = options();
        if (o.isEmpty()) {
            return JsonNodeFactory.instance.textNode(name());
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set(name(), o);
        return n;
    }

    /** Flattens all dimensions after the batch one: {@code [N, d1, d2, ...] -> [N, d1*d2*...]}. */
    record Flatten() implements LayerSpec {
        public String name() {
            return "flatten";
        }

        public ObjectNode options() {
            return obj();
        }
    }

    /** {@code y = x W^T + b} with {@code out} outputs. */
    record Linear(int out, boolean bias) implements LayerSpec {
        public String name() {
            return "linear";
        }

        public ObjectNode options() {
            return obj().put("out", out).put("bias", bias);
        }
    }

    /** Batch normalization over the feature dimension (PyTorch's defaults). */
    record BatchNorm1d(double eps, double momentum, boolean affine, boolean trackRunningStats) implements LayerSpec {
        public String name() {
            return "batchnorm1d";
        }

        public ObjectNode options() {
            return obj().put("eps", eps).put("momentum", momentum).put("affine", affine)
                    .put("track_running_stats", trackRunningStats);
        }
    }

    /** Zeroes each value with probability {@code p} in training (scaled by {@code 1/(1-p)}). */
    record Dropout(double p) implements LayerSpec {
        public String name() {
            return "dropout";
        }

        public ObjectNode options() {
            return obj().put("p", p);
        }
    }

    /** relu, sigmoid or tanh: element-wise, no options. */
    record Plain(String name) implements LayerSpec {
        public ObjectNode options() {
            return obj();
        }
    }

    /** {@code log(1 + e^(beta x)) / beta}, linear above {@code threshold}. */
    record Softplus(double beta, double threshold) implements LayerSpec {
        public String name() {
            return "softplus";
        }

        public ObjectNode options() {
            return obj().put("beta", beta).put("threshold", threshold);
        }
    }

    /** softmax or log_softmax of {@code x / temperature} along {@code dim}. */
    record Softmax(boolean log, int dim, double temperature) implements LayerSpec {
        public String name() {
            return log ? "log_softmax" : "softmax";
        }

        public ObjectNode options() {
            return obj().put("dim", dim).put("temperature", temperature);
        }
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Reads the entry {@code item} at {@code path} (e.g. {@code model[2]}). */
    static LayerSpec parse(Source src, String path, JsonNode item) {
        String name;
        JsonNode options = null;
        String example = "write a layer name such as `- relu` or a mapping such as `- linear: {out: 10}`";
        if (item != null && item.isTextual()) {
            name = item.asText();
        } else if (item != null && item.isObject() && item.size() == 1) {
            name = item.fieldNames().next();
            options = item.get(name);
        } else {
            throw src.error(path, "a layer (one of " + String.join(", ", NAMES) + ")", Source.describe(item),
                    "To fix: " + example);
        }
        if (!NAMES.contains(name)) {
            String guess = Source.didYouMean(name, NAMES);
            throw src.error(path, "a layer name, one of " + String.join(", ", NAMES), "'" + name + "'",
                    guess != null ? "Did you mean '" + guess + "'?" : "Use one of the names listed");
        }
        String at = path + "." + name;
        Fields f = Fields.of(src, at, options, "Write its options as a mapping, e.g. `- " + name + ": {}`");
        LayerSpec spec = switch (name) {
            case "flatten" -> new Flatten();
            case "linear" -> new Linear(f.integer("out", null, 1, "`- linear: {out: 10}`"), f.bool("bias", true));
            case "batchnorm1d" -> batchNorm(f);
            case "dropout" -> {
                double p = f.number("p", 0.5, "p: 0.2");
                yield new Dropout(f.check("p", p, p >= 0 && p < 1, "a probability in [0, 1)", "p: 0.2"));
            }
            case "softplus" -> {
                double beta = f.number("beta", 1.0, "beta: 1");
                f.check("beta", beta, beta > 0, "a number > 0", "beta: 1");
                yield new Softplus(beta, f.number("threshold", 20.0, "threshold: 20"));
            }
            case "softmax", "log_softmax" -> {
                int dim = f.integer("dim", -1, Integer.MIN_VALUE, "dim: -1");
                double t = f.number("temperature", 1.0, "temperature: 1");
                yield new Softmax(name.equals("log_softmax"), dim,
                        f.check("temperature", t, t > 0, "a number > 0", "temperature: 1"));
            }
            default -> new Plain(name);
        };
        f.finish();
        return spec;
    }

    private static BatchNorm1d batchNorm(Fields f) {
        double eps = f.number("eps", 1e-5, "eps: 1.0e-5");
        f.check("eps", eps, eps > 0, "a number > 0", "eps: 1.0e-5");
        double momentum = f.number("momentum", 0.1, "momentum: 0.1");
        f.check("momentum", momentum, momentum >= 0 && momentum <= 1, "a number in [0, 1]", "momentum: 0.1");
        return new BatchNorm1d(eps, momentum, f.bool("affine", true), f.bool("track_running_stats", true));
    }
}
