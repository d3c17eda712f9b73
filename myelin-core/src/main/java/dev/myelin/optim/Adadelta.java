package dev.myelin.optim;

import dev.myelin.options.Check;
import dev.myelin.tensor.Tensor;
import java.util.List;

/**
 * AdaDelta (Zeiler 2012; "Deep Feedforward Networks" (Strojové učení II), "Adaptive Learning Rate"): Adagrad's
 * ever-growing sum replaced by a running average of g², and the step's units fixed by a running
 * average of past squared updates, so the method needs no learning rate (η = 1 by default).
 * PyTorch's form (torch.optim.Adadelta, 1.13):
 * <pre>
 * g ← g + λ·p
 * E[g²] ← ρ·E[g²] + (1 − ρ)·g²
 * Δ ← √(E[Δ²] + ε) / √(E[g²] + ε) · g
 * E[Δ²] ← ρ·E[Δ²] + (1 − ρ)·Δ²
 * p ← p − η·Δ
 * </pre>
 * Defaults are PyTorch's: lr 1.0, rho 0.9, eps 1e-6, weight_decay 0. State-dict keys per
 * parameter: step, square_avg, acc_delta.
 */
public final class Adadelta extends TypedOptimizer<Adadelta.Options> {
    /** Hyperparameters. */
    public record Options(double lr, double rho, double eps, double weightDecay) implements OptimizerOptions {
        public Options {
            Check.nonNegative("lr", lr);
            Check.fraction("rho", rho);
            Check.nonNegative("eps", eps);
            Check.nonNegative("weight_decay", weightDecay);
        }

        /** PyTorch's defaults: lr 1.0, rho 0.9, eps 1e-6, weight_decay 0. */
        public static Options defaults() {
            return new Options(1.0, 0.9, 1e-6, 0);
        }

        /** PyTorch's defaults with this learning rate. */
        public static Options of(double lr) {
            Options d = defaults();
            return new Options(lr, d.rho, d.eps, d.weightDecay);
        }
    }

    public Adadelta(List<Tensor> params, Options options) {
        this(ParamGroup.single(params, options));
    }

    public Adadelta(List<ParamGroup<Options>> groups) {
        super(groups);
    }

    @Override
    protected void update(int index, int group, float[] p, float[] g) {
        Options o = options(group);
        float[] step = state(index, "step", 1);
        float[] sq = state(index, "square_avg", p.length);
        float[] acc = state(index, "acc_delta", p.length);
        step[0] += 1f;
        float lr = (float) lr(group);
        float rho = (float) o.rho();
        float oneMinusRho = (float) (1 - o.rho());
        float eps = (float) o.eps();
        float wd = (float) o.weightDecay();
        for (int i = 0; i < p.length; i++) {
            float gi = wd == 0f ? g[i] : g[i] + wd * p[i];
            sq[i] = rho * sq[i] + oneMinusRho * gi * gi;
            float std = (float) Math.sqrt(sq[i] + eps);
            float delta = (float) Math.sqrt(acc[i] + eps) / std * gi;
            acc[i] = rho * acc[i] + oneMinusRho * delta * delta;
            p[i] -= lr * delta;
        }
    }
}
