package dev.myelin.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.cli.yaml.Source;
import dev.myelin.tensor.Rng;
import dev.myelin.train.Trainer;
import dev.myelin.train.regularize.Constraints;
import dev.myelin.train.regularize.JacobianPenalty;
import dev.myelin.train.regularize.ParamSelection;
import dev.myelin.train.regularize.WeightNoise;
import dev.myelin.train.regularize.WeightPenalty;
import java.util.List;

/**
 * The config's {@code regularization} section and {@code constraints} list (docs/regularization.md):
 * <pre>
 * regularization:
 *   l1: 1.0e-5                  # λ₁ Σ|w|
 *   l2: 1.0e-4                  # (λ₂/2) Σw², the same λ as SGD's weight_decay
 *   apply_to: weights           # weights (matrices and kernels; default) or all
 *   jacobian: {weight: 0.01, projections: 1}   # or jacobian: 0.01
 *   weight_noise: 0.01          # std of N(0, σ²) added to the weights for each step
 * constraints: [{max_norm: 3.0}]
 * </pre>
 * Everything defaults to off.
 */
public record RegularizationConfig(double l1, double l2, ParamSelection applyTo, double jacobianWeight,
                                   int jacobianProjections, double weightNoise, List<Constraints.Rule> constraints) {
    private static final String EXAMPLE = "Write e.g.\nregularization:\n  l2: 1.0e-4";

    public RegularizationConfig {
        constraints = List.copyOf(constraints);
    }

    /** Adds the penalties as regularizers and weight noise and constraints as callbacks. */
    public void install(Trainer trainer, Rng rng) {
        if (l1 > 0 || l2 > 0) {
            trainer.addRegularizer(new WeightPenalty(l1, l2, applyTo));
        }
        if (jacobianWeight > 0) {
            trainer.addRegularizer(new JacobianPenalty(jacobianWeight, jacobianProjections, rng.split("jacobian")));
        }
        if (weightNoise > 0) {
            trainer.addCallback(new WeightNoise(weightNoise, applyTo, rng.split("weight_noise")));
        }
        if (!constraints.isEmpty()) {
            Constraints c = new Constraints();
            constraints.forEach(r -> c.add(r.constraint(), r.applyTo()));
            trainer.addCallback(c);
        }
    }

    /** The {@code regularization} mapping, every option written. */
    public ObjectNode toTree() {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("l1", l1).put("l2", l2)
                .put("apply_to", applyTo.configName());
        o.putObject("jacobian").put("weight", jacobianWeight).put("projections", jacobianProjections);
        return o.put("weight_noise", weightNoise);
    }

    /** The {@code constraints} list. */
    public JsonNode constraintsTree() {
        return ConstraintList.toTree(constraints);
    }

    /** Reads the top-level keys {@code regularization} and {@code constraints} of {@code root}. */
    static RegularizationConfig parse(Fields root) {
        Source src = root.source();
        Fields f = Fields.of(src, "regularization", root.raw("regularization"), EXAMPLE);
        double l1 = nonNegative(f, "l1", "l1: 1.0e-5");
        double l2 = nonNegative(f, "l2", "l2: 1.0e-4");
        ParamSelection applyTo = selection(f);
        double jw = 0;
        int jp = 1;
        JsonNode j = f.raw("jacobian");
        if (j != null && j.isNumber()) {
            jw = nonNegative(f, "jacobian", "jacobian: 0.01");
        } else if (j != null) {
            Fields jf = Fields.of(src, f.path("jacobian"), j, "Write e.g. `jacobian: {weight: 0.01, projections: 1}`");
            jw = nonNegative(jf, "weight", "weight: 0.01");
            jp = jf.integer("projections", 1, 1, "projections: 1");
            jf.finish();
        }
        double noise = nonNegative(f, "weight_noise", "weight_noise: 0.01");
        f.finish();
        return new RegularizationConfig(l1, l2, applyTo, jw, jp, noise,
                ConstraintList.parse(src, root.raw("constraints")));
    }

    /** The {@code apply_to} key of {@code f}: weights (default) or all. */
    static ParamSelection selection(Fields f) {
        return ParamSelection.valueOf(f.choice("apply_to", "weights", List.of("weights", "all"))
                .toUpperCase(java.util.Locale.ROOT));
    }

    private static double nonNegative(Fields f, String key, String example) {
        double v = f.number(key, 0.0, example);
        return f.check(key, v, v >= 0, "a number >= 0", example);
    }
}
