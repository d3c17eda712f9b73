package dev.myelin.optim;

import dev.myelin.options.Check;
import dev.myelin.tensor.Tensor;
import java.util.List;

/**
 * RMSprop (Hinton, Coursera lecture 6e, 2012; "Deep Feedforward Networks" (Strojové učení II), "RMSProp"): the
 * step is divided by a running root mean square of the gradient. With {@code centered} the
 * running mean of g is subtracted, so the denominator estimates the standard deviation (Graves
 * 2013); with {@code momentum} the scaled gradient feeds a momentum buffer. PyTorch's form
 * (torch.optim.RMSprop, 1.13):
 * <pre>
 * g ← g + λ·p
 * E[g²] ← α·E[g²] + (1 − α)·g²
 * d ← √(E[g²] − E[g]²) + ε   with E[g] ← α·E[g] + (1 − α)·g   (centered)
 * d ← √E[g²] + ε                                               (otherwise)
 * b ← μ·b + g / d,   p ← p − η·b                                (momentum μ &gt; 0)
 * p ← p − η·g / d                                               (otherwise)
 * </pre>
 * Defaults are PyTorch's: lr 1e-2, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered
 * false (Keras uses rho 0.9 and lr 1e-3). State-dict keys per parameter: step, square_avg,
 * momentum_buffer (momentum &gt; 0), grad_avg (centered).
 */
public final class RmsProp extends TypedOptimizer<RmsProp.Options> {
    /** Hyperparameters. */
    public record Options(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered)
            implements OptimizerOptions {
        public Options {
            Check.nonNegative("lr", lr);
            Check.fraction("alpha", alpha);
            Check.nonNegative("eps", eps);
            Check.nonNegative("weight_decay", weightDecay);
            Check.nonNegative("momentum", momentum);
        }

        /** PyTorch's defaults: lr 1e-2, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered false. */
        public static Options defaults() {
            return new Options(1e-2, 0.99, 1e-8, 0, 0, false);
        }

        /** PyTorch's defaults with this learning rate. */
        public static Options of(double lr) {
            Options d = defaults();
            return new Options(lr, d.alpha, d.eps, d.weightDecay, d.momentum, d.centered);
        }
    }

    public RmsProp(List<Tensor> params, Options options) {
        this(ParamGroup.single(params, options));
    }

    public RmsProp(List<ParamGroup<Options>> groups) {
        super(groups);
    }

    @Override
    protected void update(int index, int group, float[] p, float[] g) {
        Options o = options(group);
        float[] step = state(index, "step", 1);
        float[] sq = state(index, "square_avg", p.length);
        float[] buf = o.momentum() > 0 ? state(index, "momentum_buffer", p.length) : null;
        float[] avg = o.centered() ? state(index, "grad_avg", p.length) : null;
        step[0] += 1f;
        float lr = (float) lr(group);
        float a = (float) o.alpha();
        float oneMinusA = (float) (1 - o.alpha());
        float eps = (float) o.eps();
        float wd = (float) o.weightDecay();
        float mu = (float) o.momentum();
        for (int i = 0; i < p.length; i++) {
            float gi = wd == 0f ? g[i] : g[i] + wd * p[i];
            sq[i] = a * sq[i] + oneMinusA * gi * gi;
            float d;
            if (avg != null) {
                avg[i] = a * avg[i] + oneMinusA * gi;
                d = (float) Math.sqrt(sq[i] - avg[i] * avg[i]) + eps;
            } else {
                d = (float) Math.sqrt(sq[i]) + eps;
            }
            if (buf != null) {
                buf[i] = mu * buf[i] + gi / d;
                p[i] -= lr * buf[i];
            } else {
                p[i] -= lr * (gi / d);
            }
        }
    }
}
