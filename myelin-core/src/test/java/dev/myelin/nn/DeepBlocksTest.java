package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.GradCheck;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Highway layers, stochastic depth and shake-shake: gradient checks with fixed draws, train/eval behaviour. */
class DeepBlocksTest {
    private static final GradCheck GC = GradCheck.DEFAULT;
    private final Rng rng = new Rng(11);

    private Tensor input(int... shape) {
        return Tensor.uniform(rng, -1f, 1f, shape).requiresGrad(true);
    }

    private static Tensor[] withParams(Tensor x, Module m) {
        List<Tensor> all = new ArrayList<>();
        all.add(x);
        all.addAll(m.parameters());
        return all.toArray(new Tensor[0]);
    }

    @Test
    void highwayGradientsWithRespectToInputAndParameters() {
        Highway h = new Highway(4, Activation.tanh(), -1.0, new Rng(1));
        Tensor x = input(3, 4);
        GC.check("highway", t -> h.forward(t[0]), withParams(x, h));
        assertEquals(4, h.parameters().size());
        assertEquals(List.of("transform.0.weight", "transform.0.bias", "gate.weight", "gate.bias"),
                new ArrayList<>(h.namedParameters().keySet()));
    }

    @Test
    void highwayFollowsTheFormulaAndStartsNearTheIdentity() {
        Highway h = new Highway(5, new Rng(2));
        for (float b : h.gate().bias().data()) {
            assertEquals(-2f, b, 0f);
        }
        Tensor x = Tensor.uniform(rng, -1f, 1f, 2, 5);
        Tensor t = Tensor.linear(x, h.gate().weight(), h.gate().bias()).sigmoid();
        Linear hl = (Linear) ((Sequential) h.children().get("transform")).layers().get(0);
        Tensor hx = Tensor.linear(x, hl.weight(), hl.bias()).relu();
        Tensor want = t.mul(hx).add(t.neg().add(1f).mul(x));
        assertArrayEquals(want.data(), h.forward(x).data(), 1e-6f);
        // a very negative gate bias carries the input through
        Highway carry = new Highway(5, Activation.relu(), -30, new Rng(3));
        assertArrayEquals(x.data(), carry.forward(x).data(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> h.forward(Tensor.zeros(2, 4)));
    }

    @Test
    void stochasticDepthGradientWithFixedDraws() {
        Linear f = new Linear(3, 3, new Rng(4));
        StochasticDepth sd = new StochasticDepth(new Sequential(f, Activation.tanh()), 0.7, new Rng(5));
        Tensor keep = Tensor.of(new float[] {1, 0, 1, 1}, 4, 1);
        GC.check("stochastic depth, per-sample draws", t -> sd.forward(t[0], keep), withParams(input(4, 3), sd));
        GC.check("stochastic depth, branch kept", t -> sd.forward(t[0], Tensor.scalar(1f)), withParams(input(2, 3), sd));
    }

    @Test
    void stochasticDepthSurvivesAtTheRequestedRate() {
        Linear f = new Linear(2, 2, new Rng(6));
        StochasticDepth sd = new StochasticDepth(f, 0.3, new Rng(7));
        Tensor x = Tensor.ones(1, 2);
        int kept = 0;
        int trials = 4000;
        for (int i = 0; i < trials; i++) {
            Tensor y = sd.forward(x);
            kept += y == x ? 0 : 1; // a dropped block returns its input untouched
        }
        // 4 standard deviations of Binomial(4000, 0.3): ±0.029
        assertEquals(0.3, (double) kept / trials, 0.029);
        StochasticDepth rows = new StochasticDepth(f, null, 0.6, StochasticDepth.Mode.ROW, new Rng(8));
        Tensor many = Tensor.ones(5000, 2);
        Tensor y = rows.forward(many);
        Tensor fx = f.forward(many);
        int survived = 0;
        for (int i = 0; i < 5000; i++) {
            survived += y.get(i, 0) != 1f || fx.get(i, 0) == 0f ? 1 : 0;
        }
        assertEquals(0.6, survived / 5000.0, 0.03);
    }

    @Test
    void stochasticDepthScalesTheBranchBySurvivalInEval() {
        Linear f = new Linear(3, 3, new Rng(9));
        StochasticDepth sd = new StochasticDepth(f, 0.8, new Rng(10));
        sd.eval();
        Tensor x = Tensor.uniform(rng, -1f, 1f, 4, 3);
        Tensor want = x.add(f.forward(x).mul(0.8f));
        assertArrayEquals(want.data(), sd.forward(x).data(), 1e-6f);
        assertArrayEquals(want.data(), sd.forward(x).data(), 0f, "eval is deterministic");
    }

    @Test
    void linearDecayRuleMatchesThePaper() {
        double[] p = StochasticDepth.linearDecay(4, 0.5);
        assertArrayEquals(new double[] {0.875, 0.75, 0.625, 0.5}, p, 1e-12);
        Sequential stack = StochasticDepth.stack(List.of(new Linear(2, 2, rng), new Linear(2, 2, rng)), 0.5, rng);
        assertEquals(0.75, ((StochasticDepth) stack.layers().get(0)).survival(), 1e-12);
        assertEquals(0.5, ((StochasticDepth) stack.layers().get(1)).survival(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> StochasticDepth.linearDecay(3, 0));
    }

    @Test
    void aNetworkOfTheBlocksLearns() {
        // y = sin(x0) + x1·x2 through highway, stochastic-depth and shake-shake blocks, trained with Adam
        Rng r = new Rng(30);
        Sequential branches = StochasticDepth.stack(List.of(
                new Sequential(new Linear(16, 16, r), Activation.tanh()),
                new Sequential(new Linear(16, 16, r), Activation.tanh())), 0.5, r);
        Sequential net = new Sequential(new Linear(3, 16, r), new Highway(16, Activation.tanh(), -1, r), branches,
                new ShakeShake(new Linear(16, 16, r), new Linear(16, 16, r), r), new Linear(16, 1, r));
        Tensor x = Tensor.uniform(r, -1f, 1f, 64, 3);
        float[] t = new float[64];
        for (int i = 0; i < 64; i++) {
            t[i] = (float) Math.sin(x.get(i, 0)) + x.get(i, 1) * x.get(i, 2);
        }
        Tensor y = Tensor.of(t, 64, 1);
        net.eval();
        double before = net.forward(x).sub(y).square().mean().item();
        net.train();
        dev.myelin.optim.Adam adam = new dev.myelin.optim.Adam(net.parameters(), dev.myelin.optim.Adam.Options.of(0.01));
        for (int step = 0; step < 150; step++) {
            adam.zeroGrad();
            net.forward(x).sub(y).square().mean().backward();
            adam.step();
        }
        net.eval();
        double after = net.forward(x).sub(y).square().mean().item();
        assertTrue(after < before / 10, "mse " + before + " -> " + after);
    }

    @Test
    void shakeShakeGradientWithFixedEqualDraws() {
        ShakeShake ss = new ShakeShake(new Sequential(new Linear(3, 3, new Rng(12)), Activation.tanh()),
                new Linear(3, 3, new Rng(13)), new Rng(14));
        Tensor a = Tensor.of(new float[] {0.2f, 0.9f, 0.5f}, 3, 1);
        GC.check("shake-shake block", t -> ss.forward(t[0], a, a), withParams(input(3, 3), ss));
    }

    @Test
    void shakeShakeMixWithEqualDrawsIsTheDerivativeOfTheMix() {
        // α = β: the composition's gradient is the true derivative of α·a + (1 − α)·b (per-sample draws, and one per batch)
        Tensor perSample = Tensor.rand(rng, 4, 1);
        GC.check("shake-shake per sample", t -> ShakeShake.mix(t[0], t[1], perSample, perSample),
                input(4, 3), input(4, 3));
        Tensor perBatch = Tensor.rand(rng, 1);
        GC.check("shake-shake per batch", t -> ShakeShake.mix(t[0].tanh(), t[1], perBatch, perBatch),
                input(2, 3), input(2, 3));
    }

    @Test
    void shakeShakeBackwardUsesBetaNotAlpha() {
        Tensor f1 = Tensor.uniform(rng, -1f, 1f, 2, 3).requiresGrad(true);
        Tensor f2 = Tensor.uniform(rng, -1f, 1f, 2, 3).requiresGrad(true);
        Tensor alpha = Tensor.of(new float[] {0.1f, 0.8f}, 2, 1);
        Tensor beta = Tensor.of(new float[] {0.6f, 0.3f}, 2, 1);
        Tensor y = ShakeShake.mix(f1, f2, alpha, beta);
        // the value is exactly α·a + (1 − α)·b: the straight-through composition adds no rounding
        assertArrayEquals(f1.mul(alpha).add(f2.mul(alpha.neg().add(1f))).data(), y.data(), 0f);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                float a = alpha.data()[i];
                assertEquals(a * f1.get(i, j) + (1 - a) * f2.get(i, j), y.get(i, j), 1e-6f);
            }
        }
        y.sum().backward();
        assertArrayEquals(new float[] {0.6f, 0.6f, 0.6f, 0.3f, 0.3f, 0.3f}, f1.grad().data(), 1e-7f);
        assertArrayEquals(new float[] {0.4f, 0.4f, 0.4f, 0.7f, 0.7f, 0.7f}, f2.grad().data(), 1e-7f);
    }

    @Test
    void shakeShakeTrainingDrawsPerSampleAndEvalAveragesTheBranches() {
        Linear b1 = new Linear(2, 2, new Rng(15));
        Linear b2 = new Linear(2, 2, new Rng(16));
        ShakeShake ss = new ShakeShake(b1, b2, new Rng(17));
        Tensor x = Tensor.uniform(rng, -1f, 1f, 64, 2);
        Tensor f1 = b1.forward(x);
        Tensor f2 = b2.forward(x);
        Tensor y = ss.forward(x);
        // recover α per sample from the first feature: y − x = α f1 + (1 − α) f2
        double first = (y.get(0, 0) - x.get(0, 0) - f2.get(0, 0)) / (f1.get(0, 0) - f2.get(0, 0));
        boolean differs = false;
        for (int i = 0; i < 64; i++) {
            double a = (y.get(i, 0) - x.get(i, 0) - f2.get(i, 0)) / (f1.get(i, 0) - f2.get(i, 0));
            assertTrue(a > -1e-3 && a < 1 + 1e-3, "α in [0, 1], got " + a);
            double second = y.get(i, 1) - x.get(i, 1) - (a * f1.get(i, 1) + (1 - a) * f2.get(i, 1));
            assertEquals(0, second, 1e-3, "one α per sample for every feature");
            differs |= Math.abs(a - first) > 1e-2;
        }
        assertTrue(differs, "samples get their own α");
        ss.eval();
        Tensor want = x.add(f1.add(f2).mul(0.5f));
        assertArrayEquals(want.data(), ss.forward(x).data(), 1e-6f);
        assertNotEquals(null, ss.toString());
    }
}
