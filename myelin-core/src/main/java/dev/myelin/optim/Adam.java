package dev.myelin.optim;

import dev.myelin.options.Check;
import dev.myelin.tensor.Tensor;
import java.util.List;

/**
 * Adam (Kingma &amp; Ba 2015; "Deep Feedforward Networks" (Strojové učení II), "Adam") with bias correction,
 * optional AMSGrad (Reddi et al. 2018) and PyTorch's defaults (lr 1e-3, betas (0.9, 0.999),
 * eps 1e-8, weight decay 0, coupled as L2, amsgrad false):
 * <pre>
 * g ← g + λ·p
 * m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
 * v̂ ← max(v̂, v)   (AMSGrad; otherwise v̂ = v)
 * p ← p − (η / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 * </pre>
 * The lecture writes the same update with ŝ = s/(1 − β₁ᵗ) and r̂ = r/(1 − β₂ᵗ); PyTorch (and
 * Myelin) fold the corrections into the step size and ε sits outside √(1 − β₂ᵗ), as in
 * Algorithm 1's efficient form. For decoupled weight decay use {@link AdamW}.
 * State-dict keys per parameter: step, exp_avg, exp_avg_sq, max_exp_avg_sq (AMSGrad).
 */
public final class Adam extends AdamFamily {
    /**
     * Hyperparameters of Adam and AdamW. Defaults ({@link #defaults()}) are PyTorch's Adam: lr
     * 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, amsgrad false; AdamW's weight decay
     * default is {@link AdamW#defaults()}.
     */
    public record Options(double lr, Betas betas, double eps, double weightDecay, boolean amsgrad)
            implements OptimizerOptions {
        public Options {
            Check.nonNegative("lr", lr);
            Check.present("betas", betas, "two numbers in [0, 1)");
            Check.nonNegative("eps", eps);
            Check.nonNegative("weight_decay", weightDecay);
        }

        public Options(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
            this(lr, new Betas(beta1, beta2), eps, weightDecay, amsgrad);
        }

        /** Without AMSGrad. */
        public Options(double lr, double beta1, double beta2, double eps, double weightDecay) {
            this(lr, beta1, beta2, eps, weightDecay, false);
        }

        /** PyTorch's defaults. */
        public static Options defaults() {
            return new Options(1e-3, Betas.defaults(), 1e-8, 0, false);
        }

        /** PyTorch's defaults with this learning rate. */
        public static Options of(double lr) {
            Options d = defaults();
            return new Options(lr, d.betas, d.eps, d.weightDecay, d.amsgrad);
        }

        /** The same options with another weight decay. */
        public Options withWeightDecay(double wd) {
            return new Options(lr, betas, eps, wd, amsgrad);
        }

        public double beta1() {
            return betas.beta1();
        }

        public double beta2() {
            return betas.beta2();
        }
    }

    /**
     * The update rule as the formula above reads, for one parameter at step {@code t} (1-based):
     * the reference the fused kernel ({@code Kernels.adam}, the path training takes) is tested
     * against. With {@code decoupled}, AdamW's decay p ← p·(1 − η·λ) replaces the L2 term.
     *
     * @param vMax AMSGrad's running maximum of v, or null without AMSGrad
     */
    public static void rule(float[] p, float[] g, float[] m, float[] v, float[] vMax, long t, double lr, Options o,
                            boolean decoupled) {
        double b1 = o.beta1();
        double b2 = o.beta2();
        double stepSize = lr / (1 - Math.pow(b1, t));
        double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
        for (int i = 0; i < p.length; i++) {
            if (decoupled) {
                p[i] *= (float) (1 - lr * o.weightDecay());
            }
            float gi = decoupled ? g[i] : g[i] + (float) o.weightDecay() * p[i];
            m[i] = (float) b1 * m[i] + (float) (1 - b1) * gi;
            v[i] = (float) b2 * v[i] + (float) (1 - b2) * gi * gi;
            float second = v[i];
            if (vMax != null) {
                vMax[i] = Math.max(vMax[i], v[i]);
                second = vMax[i];
            }
            p[i] -= (float) stepSize * (m[i] / ((float) Math.sqrt(second) / (float) bc2Sqrt + (float) o.eps()));
        }
    }

    public Adam(List<Tensor> params, Options options) {
        this(ParamGroup.single(params, options));
    }

    public Adam(List<ParamGroup<Options>> groups) {
        super(groups);
    }

    @Override
    boolean decoupled() {
        return false;
    }
}
