package dev.myelin.optim;

import dev.myelin.options.Check;
import dev.myelin.tensor.Tensor;
import java.util.List;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and (coupled) weight
 * decay, with PyTorch's semantics ("Deep Feedforward Networks" (Strojové učení II); Sutskever et al. 2013):
 * <pre>
 * g ← g + λ·p
 * b ← g                          (first step)
 * b ← μ·b + (1 − τ)·g            (later steps)
 * g ← g + μ·b  (Nesterov)   or   g ← b
 * p ← p − η·g
 * </pre>
 * The momentum buffer starts at the gradient itself, as PyTorch does (not at zero).
 */
public final class Sgd extends TypedOptimizer<Sgd.Options> {
    /** Hyperparameters; defaults as PyTorch's (momentum 0, dampening 0, weight decay 0). */
    public record Options(double lr, double momentum, double dampening, double weightDecay, boolean nesterov)
            implements OptimizerOptions {
        public Options {
            Check.nonNegative("lr", lr);
            Check.nonNegative("momentum", momentum);
            Check.nonNegative("dampening", dampening);
            Check.nonNegative("weight_decay", weightDecay);
            Check.that(!nesterov || (momentum > 0 && dampening == 0), "nesterov",
                    "momentum > 0 and dampening 0 with nesterov: true", "momentum " + momentum + ", dampening " + dampening);
        }

        /**
         * PyTorch's defaults with this learning rate. The learning rate has no default here (it is
         * required, as in PyTorch before 2.2): SGD's good rates differ by orders of magnitude.
         */
        public static Options of(double lr) {
            return new Options(lr, 0, 0, 0, false);
        }
    }

    public Sgd(List<Tensor> params, Options options) {
        this(ParamGroup.single(params, options));
    }

    public Sgd(List<ParamGroup<Options>> groups) {
        super(groups);
    }

    @Override
    protected void update(int index, int group, float[] p, float[] g) {
        Options o = options(group);
        float lr = (float) lr(group);
        float wd = (float) o.weightDecay();
        float mu = (float) o.momentum();
        if (mu == 0f) {
            for (int i = 0; i < p.length; i++) {
                p[i] -= lr * (g[i] + wd * p[i]);
            }
            return;
        }
        boolean first = !hasState(index, "momentum_buffer");
        float[] b = state(index, "momentum_buffer", p.length);
        float damp = 1f - (float) o.dampening();
        for (int i = 0; i < p.length; i++) {
            float gi = g[i] + wd * p[i];
            b[i] = first ? gi : mu * b[i] + damp * gi;
            float step = o.nesterov() ? gi + mu * b[i] : b[i];
            p[i] -= lr * step;
        }
    }
}
