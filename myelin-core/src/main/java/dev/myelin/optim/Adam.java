package dev.myelin.optim;

import dev.myelin.tensor.Tensor;
import java.util.List;

/**
 * Adam (Kingma &amp; Ba 2015; deep-feedforward-networks.md) with bias correction and PyTorch's
 * defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0, coupled as L2):
 * <pre>
 * g ← g + λ·p
 * m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
 * p ← p − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * State-dict keys per parameter: step, exp_avg, exp_avg_sq (PyTorch's names).
 */
public final class Adam extends Optimizer {
    /** Hyperparameters. */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay) {
        public Options {
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("Adam: expected betas in [0, 1), got (" + beta1 + ", " + beta2 + ")");
            }
            if (!(eps >= 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("Adam: expected eps and weight_decay >= 0");
            }
        }

        public static Options of(double lr) {
            return new Options(lr, 0.9, 0.999, 1e-8, 0);
        }
    }

    private final Options o;

    public Adam(List<Tensor> params, Options options) {
        super(params, options.lr());
        this.o = options;
    }

    public Options options() {
        return o;
    }

    @Override
    protected void update(int index, float[] p, float[] g) {
        float[] step = state(index, "step", 1);
        float[] m = state(index, "exp_avg", p.length);
        float[] v = state(index, "exp_avg_sq", p.length);
        step[0] += 1f;
        double t = step[0];
        float b1 = (float) o.beta1();
        float b2 = (float) o.beta2();
        float wd = (float) o.weightDecay();
        double bc1 = 1 - Math.pow(o.beta1(), t);
        double bc2 = 1 - Math.pow(o.beta2(), t);
        float stepSize = (float) (lr() / bc1);
        float invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
        float eps = (float) o.eps();
        for (int i = 0; i < p.length; i++) {
            float gi = g[i] + wd * p[i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            p[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) * invSqrtBc2 + eps);
        }
    }
}
