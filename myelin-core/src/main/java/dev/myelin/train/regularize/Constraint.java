package dev.myelin.train.regularize;

import dev.myelin.tensor.Tensor;

/**
 * A constraint W ∈ C on a parameter, enforced by projecting onto C after each optimizer step
 * (projected gradient descent; Sun, "Training DNNs: Tricks": the indicator δ_C(W) = 0 on C, ∞ off
 * it, "e.g. binary, norm bound"). Each {@link #project} changes the tensor's values in place.
 * Keras's {@code kernel_constraint}s are the model (same names and per-unit axis).
 */
public sealed interface Constraint {
    /** Moves {@code w} onto the constraint set in place (no graph is recorded). */
    void project(Tensor w);

    /** The config form, e.g. {@code max_norm: 3.0}. */
    String describe();

    /**
     * Max-norm per unit (Srebro &amp; Shraibman 2005; used with dropout by Hinton et al. 2012 and
     * Srivastava et al. 2014, with c ≈ 3-4): each unit's incoming weight vector, a row of a
     * Linear weight [out, in] (all of dim 0's slice for a kernel [out, in, kh, kw]), is
     * rescaled onto the ball ‖w_u‖₂ ≤ c when it leaves it:
     * <pre>w_u ← w_u · min(1, c / ‖w_u‖₂)</pre>
     * A vector parameter (rank 1) is one unit.
     */
    record MaxNorm(double maxValue) implements Constraint {
        public MaxNorm {
            if (!(maxValue > 0 && Double.isFinite(maxValue))) {
                throw new IllegalArgumentException("max_norm: expected a norm bound > 0, got " + maxValue);
            }
        }

        public void project(Tensor w) {
            UnitRows.rescale(w, norm -> norm > maxValue ? maxValue / norm : 1.0);
        }

        public String describe() {
            return "max_norm: " + maxValue;
        }
    }

    /** Unit norm per unit: w_u ← w_u / ‖w_u‖₂ (rows as {@link MaxNorm}; an all-zero row stays 0). */
    record UnitNorm() implements Constraint {
        public void project(Tensor w) {
            UnitRows.rescale(w, norm -> norm > 0 ? 1.0 / norm : 1.0);
        }

        public String describe() {
            return "unit_norm";
        }
    }

    /** Non-negative weights: w ← max(w, 0). */
    record NonNegative() implements Constraint {
        public void project(Tensor w) {
            float[] d = w.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = Math.max(d[i], 0f);
            }
        }

        public String describe() {
            return "non_negative";
        }
    }

    /** Value bounds: w ← clamp(w, min, max). */
    record Bounds(double min, double max) implements Constraint {
        public Bounds {
            if (!(min <= max)) {
                throw new IllegalArgumentException("bounds: expected min <= max, got min = " + min + ", max = " + max);
            }
        }

        public void project(Tensor w) {
            float lo = (float) min;
            float hi = (float) max;
            float[] d = w.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = Math.min(Math.max(d[i], lo), hi);
            }
        }

        public String describe() {
            return "bounds: {min: " + min + ", max: " + max + "}";
        }
    }
}
