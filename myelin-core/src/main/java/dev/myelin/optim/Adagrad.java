package dev.myelin.optim;

import dev.myelin.options.Check;
import dev.myelin.tensor.Tensor;
import java.util.List;

/**
 * Adagrad (Duchi, Hazan &amp; Singer 2011; "Deep Feedforward Networks" (Strojové učení II), "Adaptive Learning
 * Rate"): each coordinate's step shrinks with the sum of its squared gradients, so rarely
 * updated coordinates keep large steps. PyTorch's form (torch.optim.Adagrad, 1.13):
 * <pre>
 * g ← g + λ·p
 * η̃ ← η / (1 + (t − 1)·lr_decay)
 * s ← s + g²                     (s starts at initial_accumulator_value)
 * p ← p − η̃ · g / (√s + ε)
 * </pre>
 * Defaults are PyTorch's: lr 1e-2, lr_decay 0, weight_decay 0, initial_accumulator_value 0,
 * eps 1e-10. State-dict keys per parameter: step, sum.
 */
public final class Adagrad extends TypedOptimizer<Adagrad.Options> {
    /** Hyperparameters. */
    public record Options(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps)
            implements OptimizerOptions {
        public Options {
            Check.nonNegative("lr", lr);
            Check.nonNegative("lr_decay", lrDecay);
            Check.nonNegative("weight_decay", weightDecay);
            Check.nonNegative("initial_accumulator_value", initialAccumulatorValue);
            Check.nonNegative("eps", eps);
        }

        /** PyTorch's defaults: lr 1e-2, lr_decay 0, weight_decay 0, initial_accumulator_value 0, eps 1e-10. */
        public static Options defaults() {
            return new Options(1e-2, 0, 0, 0, 1e-10);
        }

        /** PyTorch's defaults with this learning rate. */
        public static Options of(double lr) {
            Options d = defaults();
            return new Options(lr, d.lrDecay, d.weightDecay, d.initialAccumulatorValue, d.eps);
        }
    }

    public Adagrad(List<Tensor> params, Options options) {
        this(ParamGroup.single(params, options));
    }

    public Adagrad(List<ParamGroup<Options>> groups) {
        super(groups);
    }

    @Override
    protected void update(int index, int group, float[] p, float[] g) {
        Options o = options(group);
        float[] step = state(index, "step", 1);
        float[] sum = state(index, "sum", p.length, (float) o.initialAccumulatorValue());
        step[0] += 1f;
        float clr = (float) (lr(group) / (1 + (step[0] - 1) * o.lrDecay()));
        float wd = (float) o.weightDecay();
        float eps = (float) o.eps();
        for (int i = 0; i < p.length; i++) {
            float gi = wd == 0f ? g[i] : g[i] + wd * p[i];
            sum[i] += gi * gi;
            p[i] -= clr * (gi / ((float) Math.sqrt(sum[i]) + eps));
        }
    }
}
