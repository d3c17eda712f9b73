package dev.myelin.optim;

import dev.myelin.kernel.AdamStep;
import dev.myelin.kernel.KernelProvider;
import dev.myelin.kernel.Kernels;
import java.util.List;

/**
 * The update {@link Adam} and {@link AdamW} share; they differ only in how weight decay enters
 * (coupled L2 in the gradient, or decoupled shrinking of the parameter). The moment updates run
 * in the fused {@link Kernels#adam} kernel, one pass over the parameter.
 * State-dict keys per parameter: step, exp_avg, exp_avg_sq, and max_exp_avg_sq with AMSGrad
 * (PyTorch's names).
 */
abstract sealed class AdamFamily extends TypedOptimizer<Adam.Options> permits Adam, AdamW {
    private static final Kernels K = KernelProvider.get();
    AdamFamily(List<ParamGroup<Adam.Options>> groups) {
        super(groups);
    }

    /** True for AdamW: weight decay shrinks the parameter instead of adding λ·p to the gradient. */
    abstract boolean decoupled();

    @Override
    protected void update(int index, int group, float[] p, float[] g) {
        Adam.Options o = options(group);
        float[] step = state(index, "step", 1);
        float[] m = state(index, "exp_avg", p.length);
        float[] v = state(index, "exp_avg_sq", p.length);
        float[] vMax = o.amsgrad() ? state(index, "max_exp_avg_sq", p.length) : null;
        step[0] += 1f;
        double lr = lr(group);
        double coupled = o.weightDecay();
        if (decoupled()) {
            if (coupled != 0) {
                K.affine(p, 0, (float) (1 - lr * coupled), 0f, p, 0, p.length);
            }
            coupled = 0;
        }
        K.adam(p, g, m, v, vMax, p.length, AdamStep.of(lr, o.beta1(), o.beta2(), o.eps(), coupled, (long) step[0]));
    }
}
