package dev.myelin.optim;

import dev.myelin.options.Check;
import dev.myelin.tensor.Tensor;
import java.util.List;

/**
 * NAdam: Adam with Nesterov momentum (Dozat 2016, "Incorporating Nesterov Momentum into Adam";
 * "Deep Feedforward Networks" (Strojové učení II), NAG and Adam). The momentum coefficient follows a warm-up
 * schedule μₜ, and the step looks ahead with the next one, μₜ₊₁:
 * <pre>
 * g ← g + λ·p
 * μₜ = β₁·(1 − ½·0.96^(t·ψ)),   μₜ₊₁ = β₁·(1 − ½·0.96^((t+1)·ψ)),   Πₜ = Π_{i≤t} μᵢ
 * m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
 * d = √(v / (1 − β₂ᵗ)) + ε
 * p ← p − η·(1 − μₜ)/(1 − Πₜ) · g/d − η·μₜ₊₁/(1 − Πₜ·μₜ₊₁) · m/d
 * </pre>
 * Defaults are PyTorch's: lr 2e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0,
 * momentum_decay ψ = 4e-3. <b>Difference from torch 1.13:</b> its single-tensor NAdam multiplies
 * μₜ into Πₜ₊₁ twice (Πₜ·μₜ·μₜ₊₁); PyTorch 2.0 fixed that (pytorch/pytorch#92699) and Myelin
 * follows the fix and the paper. State-dict keys per parameter: step, mu_product (a float32
 * scalar, as PyTorch's), exp_avg, exp_avg_sq.
 */
public final class NAdam extends TypedOptimizer<NAdam.Options> {
    /** Hyperparameters. */
    public record Options(double lr, Betas betas, double eps, double weightDecay, double momentumDecay)
            implements OptimizerOptions {
        public Options {
            Check.nonNegative("lr", lr);
            Check.present("betas", betas, "two numbers in [0, 1)");
            Check.nonNegative("eps", eps);
            Check.nonNegative("weight_decay", weightDecay);
            Check.nonNegative("momentum_decay", momentumDecay);
        }

        public Options(double lr, double beta1, double beta2, double eps, double weightDecay, double momentumDecay) {
            this(lr, new Betas(beta1, beta2), eps, weightDecay, momentumDecay);
        }

        /** PyTorch's defaults: lr 2e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, momentum_decay 4e-3. */
        public static Options defaults() {
            return new Options(2e-3, Betas.defaults(), 1e-8, 0, 4e-3);
        }

        /** PyTorch's defaults with this learning rate. */
        public static Options of(double lr) {
            Options d = defaults();
            return new Options(lr, d.betas, d.eps, d.weightDecay, d.momentumDecay);
        }

        public double beta1() {
            return betas.beta1();
        }

        public double beta2() {
            return betas.beta2();
        }
    }

    public NAdam(List<Tensor> params, Options options) {
        this(ParamGroup.single(params, options));
    }

    public NAdam(List<ParamGroup<Options>> groups) {
        super(groups);
    }

    @Override
    protected void update(int index, int group, float[] p, float[] g) {
        Options o = options(group);
        float[] step = state(index, "step", 1);
        float[] muProduct = state(index, "mu_product", 1, 1f);
        float[] m = state(index, "exp_avg", p.length);
        float[] v = state(index, "exp_avg_sq", p.length);
        step[0] += 1f;
        double t = step[0];
        double mu = o.beta1() * (1 - 0.5 * Math.pow(0.96, t * o.momentumDecay()));
        double muNext = o.beta1() * (1 - 0.5 * Math.pow(0.96, (t + 1) * o.momentumDecay()));
        muProduct[0] *= (float) mu; // a float32 scalar in PyTorch's state
        double lr = lr(group);
        float gradScale = (float) (-lr * (1 - mu) / (1 - muProduct[0]));
        float avgScale = (float) (-lr * muNext / (1 - muProduct[0] * muNext));
        float bc2 = (float) (1 - Math.pow(o.beta2(), t));
        float b1 = (float) o.beta1();
        float oneMinusB1 = (float) (1 - o.beta1());
        float b2 = (float) o.beta2();
        float oneMinusB2 = (float) (1 - o.beta2());
        float eps = (float) o.eps();
        float wd = (float) o.weightDecay();
        for (int i = 0; i < p.length; i++) {
            float gi = wd == 0f ? g[i] : g[i] + wd * p[i];
            m[i] = b1 * m[i] + oneMinusB1 * gi;
            v[i] = b2 * v[i] + oneMinusB2 * gi * gi;
            float d = (float) Math.sqrt(v[i] / bc2) + eps;
            p[i] += gradScale * (gi / d);
            p[i] += avgScale * (m[i] / d);
        }
    }
}
