package dev.myelin.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused kernel that Adam and AdamW train with against {@link Adam#rule}, the update as
 * Adam.java writes it: five steps at odd sizes (the vector kernel's tails), with L2, decoupled
 * decay and AMSGrad. The kernel folds the bias corrections into float constants the same way,
 * so the two agree to a float's last bits (tolerance 1e-6 relative).
 */
class AdamRuleTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 13, 100, 1023})
    void fusedKernelFollowsTheReadableRule(int n) {
        Adam.Options l2 = new Adam.Options(1e-2, 0.9, 0.99, 1e-8, 0.1, false);
        Adam.Options ams = new Adam.Options(3e-3, 0.8, 0.999, 1e-6, 0.05, true);
        check(n, l2, false);
        check(n, ams, false);
        check(n, l2, true);
        check(n, ams, true);
    }

    private static void check(int n, Adam.Options o, boolean decoupled) {
        Rng rng = new Rng(n);
        Tensor param = Tensor.randn(rng, n).requiresGrad(true);
        float[] p = param.toArray();
        float[] m = new float[n];
        float[] v = new float[n];
        float[] vMax = o.amsgrad() ? new float[n] : null;
        Optimizer opt = decoupled ? new AdamW(List.of(param), o) : new Adam(List.of(param), o);
        for (int t = 1; t <= 5; t++) {
            Tensor g = Tensor.randn(rng, n);
            param.setGrad(g);
            opt.step();
            Adam.rule(p, g.toArray(), m, v, vMax, t, o.lr(), o, decoupled);
            float[] fused = param.toArray();
            for (int i = 0; i < n; i++) {
                assertEquals(p[i], fused[i], 1e-6 * Math.max(1, Math.abs(p[i])), "step " + t + ", element " + i);
            }
        }
    }
}
