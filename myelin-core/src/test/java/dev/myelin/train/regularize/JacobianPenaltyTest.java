package dev.myelin.train.regularize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.nn.Activation;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Autograd;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jacobian regularization: the exact ‖J‖²_F, the random-projection estimate against it, and the
 * penalty's gradient w.r.t. the weights (double backpropagation) against finite differences.
 */
class JacobianPenaltyTest {
    private static Sequential mlp(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(4, 6, rng.split("a")), Activation.tanh(), new Linear(6, 3, rng.split("b")));
    }

    /** For y = x·Wᵀ + b the Jacobian is W everywhere, so Ω = ‖W‖²_F exactly. */
    @Test
    void exactNormOfALinearMapIsItsFrobeniusNorm() {
        Linear lin = new Linear(5, 3, new Rng(71));
        Tensor x = Tensor.randn(new Rng(72), 4, 5).requiresGrad(true);
        double frob = 0;
        for (float w : lin.weight().data()) {
            frob += (double) w * w;
        }
        assertEquals(frob, JacobianPenalty.exact(x, lin.forward(x)).item(), 1e-5 * frob);
    }

    /**
     * 3,000 projections on a tanh MLP with 3 outputs: the estimate is unbiased, and C·‖vᵀJ‖²
     * with v uniform on S² has a relative standard deviation of at most √(2(C−1)/(C+2)) ≈ 0.9
     * per sample and projection; averaged over 3,000 × 5 draws the relative error is below
     * ~0.8% (1 SE), so 4% is 5 standard errors. The test fails with a missing factor C or a
     * non-normalized v.
     */
    @Test
    void manyProjectionsEstimateTheExactNorm() {
        Sequential m = mlp(73);
        Tensor x = Tensor.randn(new Rng(74), 5, 4).requiresGrad(true);
        Tensor out = m.forward(x);
        double exact = JacobianPenalty.exact(x, out).item();
        double estimate = JacobianPenalty.estimate(x, out, 3000, new Rng(75)).item();
        assertTrue(exact > 0.1, "a non-trivial Jacobian: " + exact);
        assertEquals(exact, estimate, 0.04 * exact, "estimate vs exact");
    }

    /**
     * dΩ̂/dθ (Ω̂ with fixed projections, so it is a deterministic function of θ) through double
     * backpropagation, against central differences of Ω̂ for every weight and bias.
     */
    @Test
    void penaltyGradientMatchesFiniteDifferences() {
        Sequential m = mlp(76);
        Tensor x0 = Tensor.randn(new Rng(77), 3, 4);
        JacobianPenalty penalty = new JacobianPenalty(0.5, 2);
        List<Tensor> params = m.parameters();
        java.util.function.Supplier<Tensor> omega = () -> {
            Tensor x = x0.copy().requiresGrad(true);
            return penalty.of(x, m.forward(x), new Rng(78));
        };
        List<Tensor> analytic = Autograd.grad(omega.get(), params, null, false);

        double eps = 1e-3;
        double norm = 0;
        for (int k = 0; k < params.size(); k++) {
            float[] w = params.get(k).data();
            for (int i = 0; i < w.length; i++) {
                float orig = w[i];
                w[i] = (float) (orig + eps);
                double plus = omega.get().item();
                w[i] = (float) (orig - eps);
                double minus = omega.get().item();
                w[i] = orig;
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic.get(k).data()[i];
                assertEquals(numeric, a, 2e-3 + 1e-2 * Math.abs(numeric), "parameter " + k + "[" + i + "]");
                norm += a * a;
            }
        }
        assertTrue(Math.sqrt(norm) > 0.05, "a gradient large enough to test: " + Math.sqrt(norm));
    }

    @Test
    void anInputWithoutGradIsAClearError() {
        Sequential m = mlp(79);
        Tensor x = Tensor.randn(new Rng(80), 2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JacobianPenalty.estimate(x, m.forward(x), 1, new Rng(1)));
        assertTrue(e.getMessage().contains("require grad"), e.getMessage());
    }
}
