package dev.myelin.optim;

import dev.myelin.tensor.Tensor;
import java.util.List;

/**
 * Gradient norms and PyTorch's functional clipping ({@code torch.nn.utils.clip_grad_norm_},
 * {@code clip_grad_value_}), on the {@code .grad} of each parameter; parameters without a
 * gradient are skipped. Norms are accumulated in double precision in a fixed order, so they are
 * reproducible run to run.
 */
public final class GradNorms {
    /** PyTorch's guard against dividing by a zero norm: coef = max_norm / (norm + 1e-6). */
    static final double NORM_EPS = 1e-6;

    private GradNorms() {
    }

    /**
     * The p-norm of one gradient: (Σ |gᵢ|^p)^(1/p); p = ∞ gives max |gᵢ|. NaN when an element is
     * NaN, ∞ when one is infinite.
     */
    public static double norm(float[] g, double p) {
        if (p == Double.POSITIVE_INFINITY) {
            double m = 0;
            for (float v : g) {
                double a = Math.abs(v);
                m = a > m || Double.isNaN(a) ? a : m;
            }
            return m;
        }
        double s = 0;
        for (float v : g) {
            s += p == 2 ? (double) v * v : Math.pow(Math.abs(v), p);
        }
        return p == 2 ? Math.sqrt(s) : Math.pow(s, 1 / p);
    }

    /**
     * The p-norm of all gradients taken as one vector, as clip_grad_norm_ computes it: the norm of
     * the per-parameter norms (their maximum for p = ∞). 0 when no parameter has a gradient.
     */
    public static double totalNorm(List<Tensor> params, double p) {
        checkNormType(p);
        double acc = 0;
        for (Tensor t : params) {
            if (t.grad() != null) {
                double n = norm(t.grad().data(), p);
                acc = p == Double.POSITIVE_INFINITY ? (n > acc || Double.isNaN(n) ? n : acc)
                        : acc + (p == 2 ? n * n : Math.pow(n, p));
            }
        }
        return p == Double.POSITIVE_INFINITY ? acc : p == 2 ? Math.sqrt(acc) : Math.pow(acc, 1 / p);
    }

    /**
     * Scales all gradients together so that their total p-norm is at most {@code maxNorm}
     * (Pascanu et al. 2013; Huang, "Training Deep Neural Networks", "clipnorm"):
     * <pre>
     * ‖g‖ = totalNorm(p),   g ← g · min(1, maxNorm / (‖g‖ + 1e-6))
     * </pre>
     * The direction is kept: clip norm 1 turns [0.9, 100] into [0.00899964, 0.9999595]. Returns
     * ‖g‖ before clipping. A NaN or infinite norm throws {@link NonFiniteGradientException} when
     * {@code errorIfNonfinite}; otherwise, as PyTorch, the gradients are scaled by the resulting
     * NaN or 0 factor.
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double p, boolean errorIfNonfinite) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clip_grad_norm: expected max_norm > 0, got " + maxNorm);
        }
        double total = totalNorm(params, p);
        if (errorIfNonfinite && !Double.isFinite(total)) {
            throw NonFiniteGradientException.of(params, total, p);
        }
        double coef = maxNorm / (total + NORM_EPS);
        if (!(coef >= 1)) {
            for (Tensor t : params) {
                if (t.grad() != null) {
                    t.grad().mulInPlace((float) coef);
                }
            }
        }
        return total;
    }

    /**
     * Clamps every gradient element to [−c, c] (Huang, "Training Deep Neural Networks", "clipvalue"):
     * clip value 1 turns [0.9, 100] into [0.9, 1.0], changing the direction. NaN stays NaN.
     */
    public static void clipGradValue(List<Tensor> params, double clipValue) {
        if (!(clipValue > 0)) {
            throw new IllegalArgumentException("clip_grad_value: expected clip_value > 0, got " + clipValue);
        }
        float c = (float) clipValue;
        for (Tensor t : params) {
            if (t.grad() != null) {
                float[] g = t.grad().data();
                for (int i = 0; i < g.length; i++) {
                    g[i] = g[i] > c ? c : g[i] < -c ? -c : g[i];
                }
            }
        }
    }

    /** Refuses a p below 1 (or NaN): {@link GradClipping.NormType}'s check. */
    static void checkNormType(double p) {
        new GradClipping.NormType(p);
    }
}
