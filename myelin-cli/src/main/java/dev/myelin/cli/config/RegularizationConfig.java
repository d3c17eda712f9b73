package dev.myelin.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.model.bind.Bindings;
import dev.myelin.model.bind.Fields;
import dev.myelin.tensor.Rng;
import dev.myelin.train.Trainer;
import dev.myelin.train.regularize.Constraints;
import dev.myelin.train.regularize.Regularization;
import java.util.List;

/**
 * The config's {@code regularization} section, bound to the core's {@link Regularization} (its
 * keys, defaults and checks), and the {@code constraints} list (docs/regularization.md):
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
public record RegularizationConfig(Regularization penalties, List<Constraints.Rule> constraints) {
    private static final String EXAMPLE = "regularization: {l2: 1.0e-4}";

    public RegularizationConfig {
        constraints = List.copyOf(constraints);
    }

    public double l1() {
        return penalties.l1();
    }

    public double l2() {
        return penalties.l2();
    }

    /** Adds the penalties as regularizers and weight noise and constraints as callbacks. */
    public void install(Trainer trainer, Rng rng) {
        penalties.install(trainer, rng);
        if (!constraints.isEmpty()) {
            Constraints c = new Constraints();
            constraints.forEach(r -> c.add(r.constraint(), r.applyTo()));
            trainer.addCallback(c);
        }
    }

    /** The {@code regularization} mapping, every option written. */
    public JsonNode toTree() {
        return Bindings.BINDER.write(penalties);
    }

    /** The {@code constraints} list. */
    public JsonNode constraintsTree() {
        return ConstraintList.toTree(constraints);
    }

    /** Reads the top-level keys {@code regularization} and {@code constraints} of {@code root}. */
    static RegularizationConfig parse(Fields root) {
        Regularization r = Bindings.BINDER.read(Regularization.class, root.source(), "regularization",
                root.raw("regularization"), EXAMPLE);
        return new RegularizationConfig(r, ConstraintList.parse(root.source(), root.raw("constraints")));
    }
}
