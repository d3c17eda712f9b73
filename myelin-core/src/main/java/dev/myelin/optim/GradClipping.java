package dev.myelin.optim;

import dev.myelin.tensor.Tensor;
import java.util.List;

/**
 * A gradient-clipping rule applied between the backward pass and the optimizer step
 * (Huang, "Training Deep Neural Networks", "Gradient Clipping"; "Deep Feedforward Networks" (Strojové učení II),
 * exploding gradients). {@link #apply} clips in place and returns the global L2 norm of the
 * gradients before clipping, which training logs per epoch.
 */
public sealed interface GradClipping {
    /** Clips the parameters' gradients in place; returns their global L2 norm before clipping. */
    double apply(List<Tensor> params);

    /** The p of a p-norm: a number &gt;= 1, or infinity (the largest absolute element). */
    record NormType(double p) {
        public static final NormType TWO = new NormType(2);

        public NormType {
            dev.myelin.options.Check.that(p >= 1, "norm_type", "a number >= 1 or inf", p);
        }
    }

    /**
     * Gradient clipping as a config writes it ({@code clip}): by {@code norm} (global or
     * {@code perParameter}, the p-norm of {@code normType}, default 2) or by {@code value}, not
     * both; neither only records the norm. {@code errorIfNonfinite} (default true, as PyTorch's
     * {@code clip_grad_norm_} since 2.x) stops training on a NaN or infinite norm.
     */
    record Options(Double norm, Double value, NormType normType, boolean perParameter, boolean errorIfNonfinite) {
        public Options {
            dev.myelin.options.Check.present("norm_type", normType, "a number >= 1 or inf");
            // The rules check their own numbers (norm > 0, value > 0)
            if (norm != null) {
                new ByNorm(norm, normType.p(), perParameter, errorIfNonfinite);
            }
            if (value != null) {
                new ByValue(value);
            }
            dev.myelin.options.Check.that(norm == null || value == null, "value",
                    "either norm or value (by norm keeps the gradient's direction, by value does not)", "both");
            dev.myelin.options.Check.that(norm != null || (normType.equals(NormType.TWO) && !perParameter),
                    perParameter ? "per_parameter" : "norm_type", "norm clipping (clip.norm) for this option",
                    value != null ? "clipping by value" : "no clip.norm");
        }

        public static Options defaults() {
            return new Options(null, null, NormType.TWO, false, true);
        }

        /** The rule, or null when these options only record the norm. */
        public GradClipping rule() {
            return norm != null ? new ByNorm(norm, normType.p(), perParameter, errorIfNonfinite)
                    : value != null ? new ByValue(value) : null;
        }
    }

    /**
     * Clip by value (Keras's clipvalue; {@code clip_grad_value_}): every element to [−c, c].
     *
     * @param clipValue c, &gt; 0
     */
    record ByValue(double clipValue) implements GradClipping {
        public ByValue {
            dev.myelin.options.Check.that(clipValue > 0, "value", "a number > 0", clipValue);
        }

        @Override
        public double apply(List<Tensor> params) {
            double before = GradNorms.totalNorm(params, 2);
            GradNorms.clipGradValue(params, clipValue);
            return before;
        }
    }

    /**
     * Clip by norm. Global (PyTorch's {@code clip_grad_norm_}, Keras's global_clipnorm): all
     * gradients as one vector, scaled by min(1, max_norm / (‖g‖ + 1e-6)). Per parameter (Keras's
     * clipnorm): each gradient tensor scaled by its own norm.
     *
     * @param maxNorm the largest norm allowed, &gt; 0
     * @param normType p of the p-norm, &gt;= 1 or infinity (2 by default)
     * @param perParameter clip each gradient tensor alone instead of all together
     * @param errorIfNonfinite throw {@link NonFiniteGradientException} on a NaN or infinite norm
     */
    record ByNorm(double maxNorm, double normType, boolean perParameter, boolean errorIfNonfinite)
            implements GradClipping {
        public ByNorm {
            dev.myelin.options.Check.that(maxNorm > 0, "norm", "a number > 0", maxNorm);
            GradNorms.checkNormType(normType);
        }

        /** Global L2-norm clipping that reports non-finite gradients. */
        public static ByNorm global(double maxNorm) {
            return new ByNorm(maxNorm, 2, false, true);
        }

        @Override
        public double apply(List<Tensor> params) {
            double before = GradNorms.totalNorm(params, 2);
            if (errorIfNonfinite && !Double.isFinite(before)) {
                throw NonFiniteGradientException.of(params, before, 2);
            }
            if (perParameter) {
                for (Tensor p : params) {
                    GradNorms.clipGradNorm(List.of(p), maxNorm, normType, false);
                }
            } else {
                GradNorms.clipGradNorm(params, maxNorm, normType, errorIfNonfinite);
            }
            return before;
        }
    }
}
