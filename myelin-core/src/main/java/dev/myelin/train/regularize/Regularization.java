package dev.myelin.train.regularize;

import dev.myelin.options.Check;
import dev.myelin.tensor.Rng;
import dev.myelin.train.Trainer;

/**
 * The penalties and the weight noise of a training run (Sun, "Training DNNs: Tricks"; "Deep
 * Feedforward Networks" (Strojové učení II), "Regularization"; docs/regularization.md), every
 * one off by default:
 * <pre>
 * l1           λ₁ Σ|w|                                       {@link WeightPenalty}
 * l2           (λ₂/2) Σw², the same λ as SGD's weight_decay     {@link WeightPenalty}
 * applyTo      the parameters both penalties and the noise act on: the weights (matrices and
 *              kernels; default) or all
 * jacobian     λ_J ‖∂f/∂x‖²_F by random projections          {@link JacobianPenalty} (Hoffman et al. 2019)
 * weightNoise  σ of N(0, σ²) added to the weights for each step   {@link WeightNoise}
 * </pre>
 */
public record Regularization(double l1, double l2, ParamSelection applyTo, Jacobian jacobian, double weightNoise) {
    /** The Jacobian penalty's weight λ_J (default 0: off) and its random projections per step (default 1). */
    public record Jacobian(double weight, int projections) {
        public Jacobian {
            Check.nonNegative("weight", weight);
            Check.atLeast("projections", projections, 1);
        }

        public static Jacobian defaults() {
            return new Jacobian(0, 1);
        }
    }

    public Regularization {
        Check.nonNegative("l1", l1);
        Check.nonNegative("l2", l2);
        Check.present("apply_to", applyTo, "weights or all");
        Check.present("jacobian", jacobian, "a weight or {weight, projections}");
        Check.nonNegative("weight_noise", weightNoise);
    }

    public static Regularization defaults() {
        return new Regularization(0, 0, ParamSelection.WEIGHTS, Jacobian.defaults(), 0);
    }

    /** Adds the penalties to {@code trainer} as regularizers and the weight noise as a callback (drawn from {@code rng}). */
    public void install(Trainer trainer, Rng rng) {
        if (l1 > 0 || l2 > 0) {
            trainer.addRegularizer(new WeightPenalty(l1, l2, applyTo));
        }
        if (jacobian.weight() > 0) {
            trainer.addRegularizer(new JacobianPenalty(jacobian.weight(), jacobian.projections(), rng.split("jacobian")));
        }
        if (weightNoise > 0) {
            trainer.addCallback(new WeightNoise(weightNoise, applyTo, rng.split("weight_noise")));
        }
    }
}
