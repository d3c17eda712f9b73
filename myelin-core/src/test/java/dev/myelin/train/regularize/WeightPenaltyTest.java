package dev.myelin.train.regularize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myelin.nn.Activation;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.GradCheck;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** L1, L2 and elastic-net penalties: their value, their gradient, and which parameters they reach. */
class WeightPenaltyTest {
    private static Sequential model() {
        Rng rng = new Rng(61);
        return new Sequential(new Linear(3, 5, rng.split("a")), new BatchNorm1d(5), Activation.relu(),
                new Linear(5, 2, rng.split("b")));
    }

    @Test
    void weightsAreTheMatricesNotBiasesOrNormParameters() {
        assertEquals(List.of("0.weight", "3.weight"), List.copyOf(ParamSelection.WEIGHTS.select(model()).keySet()));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"),
                List.copyOf(ParamSelection.ALL.select(model()).keySet()));
    }

    /** ∂Ω/∂w = λ₁·sign(w) + λ₂·w on the weights; nothing on biases and batch norm's γ, β. */
    @Test
    void elasticNetGradientIsL1SignPlusL2Weight() {
        Sequential m = model();
        double l1 = 0.03;
        double l2 = 0.2;
        Tensor omega = new WeightPenalty(l1, l2, ParamSelection.WEIGHTS).of(m);
        omega.backward();

        double expected = 0;
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
            Tensor w = e.getValue();
            if (!ParamSelection.WEIGHTS.select(m).containsKey(e.getKey())) {
                assertNull(w.grad(), e.getKey() + " is not penalized");
                continue;
            }
            for (int i = 0; i < w.numel(); i++) {
                float v = w.data()[i];
                expected += l1 * Math.abs(v) + l2 / 2 * v * v;
                assertEquals(l1 * Math.signum(v) + l2 * v, w.grad().data()[i], 1e-6, e.getKey() + "[" + i + "]");
            }
        }
        assertEquals(expected, omega.item(), 1e-5 * expected);
    }

    @Test
    void penaltyGradientPassesTheFiniteDifferenceCheck() {
        Tensor w = Tensor.uniform(new Rng(62), 0.1f, 1f, 4, 3); // away from |w| = 0, where L1 has a kink
        Tensor b = Tensor.uniform(new Rng(63), -1f, 1f, 4);
        Sequential holder = new Sequential(new Linear(3, 4, new Rng(64)));
        Linear lin = (Linear) holder.children().get("0");
        lin.weight().copyFrom(w);
        lin.bias().copyFrom(b);
        WeightPenalty penalty = new WeightPenalty(0.7, 1.3, ParamSelection.ALL);
        GradCheck.DEFAULT.check("elastic net", t -> penalty.of(holder), lin.weight(), lin.bias());
    }

    /** l2 = λ on every parameter gives the same SGD step as SGD's coupled weight_decay = λ (the ½ convention). */
    @Test
    void l2PenaltyStepEqualsSgdWeightDecay() {
        double lambda = 0.05;
        Tensor x = Tensor.randn(new Rng(65), 8, 3);
        Tensor y = Tensor.of(new float[] {0, 1, 1, 0, 1, 0, 0, 1}, 8);
        Sequential a = model();
        Sequential b = model();
        Sgd withPenalty = new Sgd(a.parameters(), Sgd.Options.of(0.1));
        Sgd withDecay = new Sgd(b.parameters(), new Sgd.Options(0.1, 0, 0, lambda, false));

        Loss.crossEntropy().apply(a.forward(x), y).add(new WeightPenalty(0, lambda, ParamSelection.ALL).of(a)).backward();
        withPenalty.step();
        Loss.crossEntropy().apply(b.forward(x), y).backward();
        withDecay.step();

        List<Tensor> pa = a.parameters();
        List<Tensor> pb = b.parameters();
        for (int k = 0; k < pa.size(); k++) {
            for (int i = 0; i < pa.get(k).numel(); i++) {
                assertEquals(pb.get(k).data()[i], pa.get(k).data()[i], 1e-6, "parameter " + k + "[" + i + "]");
            }
        }
    }

    @Test
    void negativeCoefficientsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> WeightPenalty.l1(-1e-3));
        assertThrows(IllegalArgumentException.class, () -> new WeightPenalty(0, Double.NaN, ParamSelection.ALL));
    }
}
