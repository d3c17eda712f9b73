package dev.myelin.train.regularize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.DataLoader;
import dev.myelin.data.Disc;
import dev.myelin.nn.Activation;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Adam;
import dev.myelin.tensor.Autograd;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.History;
import dev.myelin.train.Trainer;
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
        assertGradientMatchesFiniteDifferences(mlp(76), Tensor.randn(new Rng(77), 3, 4));
    }

    /**
     * The same through batch norm in training mode: double backpropagation through its
     * createGraph backward rule (the batch statistics couple the samples), for the Linear
     * weights and biases and for γ and β.
     */
    @Test
    void penaltyGradientThroughBatchNormMatchesFiniteDifferences() {
        Rng rng = new Rng(84);
        Sequential m = new Sequential(new Linear(4, 6, rng.split("a")), new BatchNorm1d(6), Activation.tanh(),
                new Linear(6, 3, rng.split("b")));
        m.train();
        assertEquals(6, m.parameters().size(), "two weights, two biases, γ and β");
        assertGradientMatchesFiniteDifferences(m, Tensor.randn(new Rng(85), 5, 4));
    }

    private static void assertGradientMatchesFiniteDifferences(Sequential m, Tensor x0) {
        List<Tensor> params = m.parameters();
        java.util.function.Supplier<Tensor> omega = () -> {
            Tensor x = x0.copy().requiresGrad(true);
            return new JacobianPenalty(0.5, 2, new Rng(78)).penalty(m, x, m.forward(x));
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

    /**
     * Through the trainer (which marks the input as requiring grad for this regularizer): the
     * same run with the penalty ends with a smaller Jacobian norm on the data than without it,
     * and metrics carry the penalty column.
     */
    @Test
    void trainingWithThePenaltyFlattensTheFunction() {
        double[] norms = new double[2];
        for (int run = 0; run < 2; run++) {
            Rng rng = new Rng(81);
            Sequential m = new Sequential(new Linear(2, 32, rng.split("a")), Activation.tanh(), new Linear(32, 2, rng.split("b")));
            Trainer t = new Trainer(m, Loss.crossEntropy(), new Adam(m.parameters(), Adam.Options.of(1e-2)));
            if (run == 1) {
                t.addRegularizer(new JacobianPenalty(0.2, 1, rng.split("jacobian")));
            }
            History h = t.fit(new DataLoader(Disc.generate(400, rng.split("data")), 40, rng.split("shuffle")), null, 5);
            assertEquals(run == 1, h.last().extra().containsKey("penalty"), "penalty column");
            Tensor x = Tensor.randn(new Rng(83), 50, 2).requiresGrad(true);
            norms[run] = JacobianPenalty.exact(x, m.forward(x)).item();
        }
        assertTrue(norms[1] < 0.5 * norms[0], "‖J‖² without " + norms[0] + ", with the penalty " + norms[1]);
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
