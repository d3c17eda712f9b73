package dev.myelin.cli.config;

import dev.myelin.cli.yaml.Source;
import dev.myelin.cli.yaml.Fields;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.optim.Adam;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.Tensor;
import java.util.List;

/** The config's {@code optimizer}: {@code {name: adam, lr: 0.001, ...}} or just {@code adam}. */
public sealed interface OptimizerConfig {
    List<String> NAMES = List.of("adam", "sgd");

    double lr();

    /** The optimizer over {@code params}. */
    Optimizer create(List<Tensor> params);

    /** The resolved form, every option written. */
    ObjectNode toTree();

    /** Adam with PyTorch's defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weight_decay 0. */
    record AdamConfig(double lr, double beta1, double beta2, double eps, double weightDecay) implements OptimizerConfig {
        public Optimizer create(List<Tensor> params) {
            return new Adam(params, new Adam.Options(lr, beta1, beta2, eps, weightDecay));
        }

        public ObjectNode toTree() {
            ObjectNode o = JsonNodeFactory.instance.objectNode().put("name", "adam").put("lr", lr);
            o.putArray("betas").add(beta1).add(beta2);
            return o.put("eps", eps).put("weight_decay", weightDecay);
        }
    }

    /** SGD (lr required) with PyTorch's defaults: momentum 0, dampening 0, weight_decay 0, nesterov false. */
    record SgdConfig(double lr, double momentum, double dampening, double weightDecay, boolean nesterov)
            implements OptimizerConfig {
        public Optimizer create(List<Tensor> params) {
            return new Sgd(params, new Sgd.Options(lr, momentum, dampening, weightDecay, nesterov));
        }

        public ObjectNode toTree() {
            return JsonNodeFactory.instance.objectNode().put("name", "sgd").put("lr", lr).put("momentum", momentum)
                    .put("dampening", dampening).put("weight_decay", weightDecay).put("nesterov", nesterov);
        }
    }

    static OptimizerConfig parse(Source src, JsonNode node) {
        if (node != null && node.isTextual()) {
            node = JsonNodeFactory.instance.objectNode().put("name", node.asText());
        }
        Fields f = Fields.of(src, "optimizer", node, "Write e.g. `optimizer: {name: adam, lr: 0.001}`");
        String name = f.choice("name", "adam", NAMES);
        OptimizerConfig c = name.equals("adam") ? adam(f) : sgd(f);
        f.finish("for " + name);
        return c;
    }

    private static double lr(Fields f, Double dflt) {
        double lr = f.number("lr", dflt, "lr: 0.01");
        return f.check("lr", lr, lr > 0, "a learning rate > 0", "lr: 0.01");
    }

    private static double nonNegative(Fields f, String key, double dflt) {
        double v = f.number(key, dflt, key + ": 0");
        return f.check(key, v, v >= 0, "a number >= 0", key + ": 0");
    }

    private static AdamConfig adam(Fields f) {
        double lr = lr(f, 1e-3);
        double b1 = 0.9;
        double b2 = 0.999;
        JsonNode betas = f.raw("betas");
        if (betas != null) {
            String field = f.path("betas");
            if (!betas.isArray() || betas.size() != 2) {
                throw f.source().error(field, "a list of two numbers in [0, 1)", Source.describe(betas),
                        "Write e.g. betas: [0.9, 0.999]");
            }
            b1 = f.toNumber(betas.get(0), field + "[0]", "betas: [0.9, 0.999]");
            b2 = f.toNumber(betas.get(1), field + "[1]", "betas: [0.9, 0.999]");
            if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1)) {
                throw f.source().error(field, "two numbers in [0, 1)", betas.toString(), "Write e.g. betas: [0.9, 0.999]");
            }
        }
        double eps = nonNegative(f, "eps", 1e-8);
        return new AdamConfig(lr, b1, b2, eps, nonNegative(f, "weight_decay", 0));
    }

    private static SgdConfig sgd(Fields f) {
        double lr = lr(f, null);
        double momentum = nonNegative(f, "momentum", 0);
        double dampening = nonNegative(f, "dampening", 0);
        double wd = nonNegative(f, "weight_decay", 0);
        boolean nesterov = f.bool("nesterov", false);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw f.source().error(f.path("nesterov"), "momentum > 0 and dampening 0 with nesterov: true",
                    "momentum " + momentum + ", dampening " + dampening, "Set momentum (e.g. 0.9) or nesterov: false");
        }
        return new SgdConfig(lr, momentum, dampening, wd, nesterov);
    }
}
