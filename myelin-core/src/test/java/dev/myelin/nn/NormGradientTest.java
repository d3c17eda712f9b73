package dev.myelin.nn;

import dev.myelin.tensor.GradCheck;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Central-difference gradient checks of every normalization layer w.r.t. its input and its
 * parameters, over the whole batch (in training mode a batch norm's output for one sample
 * depends on every sample of the batch, so the full Jacobian-vector product is checked through
 * Σ out ⊙ r with r fixed and random).
 */
class NormGradientTest {
    private final Rng rng = new Rng(11);

    private Tensor var(int... shape) {
        return Tensor.uniform(rng, -1f, 1f, shape).requiresGrad(true);
    }

    /** Checks d(Σ layer(x) ⊙ r)/dx and d/dp for every parameter p, after giving the parameters random values. */
    private void check(String name, Module layer, Tensor x) {
        List<Tensor> inputs = new ArrayList<>(List.of(x));
        for (Tensor p : layer.parameters()) {
            p.copyFrom(Tensor.uniform(rng, 0.5f, 1.5f, p.shape()));
            inputs.add(p);
        }
        GradCheck.DEFAULT.check(name, t -> layer.forward(t[0]), inputs.toArray(Tensor[]::new));
    }

    @Test
    void batchNorm2dInTrainingAndEvalMode() {
        check("BatchNorm2d train", new BatchNorm2d(2), var(3, 2, 2, 3));
        check("BatchNorm2d train, no affine", new BatchNorm2d(3, 1e-5, 0.1, false, true), var(2, 3, 2, 2));
        BatchNorm2d bn = new BatchNorm2d(2);
        bn.forward(Tensor.uniform(rng, -2f, 3f, 4, 2, 3, 3)); // non-trivial running statistics
        bn.eval();
        check("BatchNorm2d eval", bn, var(2, 2, 2, 3));
        check("BatchNorm2d eval without running stats", new BatchNorm2d(2, 1e-5, 0.1, true, false).eval(),
                var(3, 2, 2, 2));
    }

    @Test
    void layerNorm() {
        check("LayerNorm [4]", new LayerNorm(4), var(3, 4));
        check("LayerNorm [2, 3]", new LayerNorm(2, 3), var(2, 2, 3));
        check("LayerNorm no affine", new LayerNorm(new int[] {5}, 1e-5, false), var(2, 3, 5));
    }

    @Test
    void groupNorm() {
        check("GroupNorm(2, 4) [N, C, L]", new GroupNorm(2, 4), var(2, 4, 3));
        check("GroupNorm(3, 3) [N, C, H, W]", new GroupNorm(3, 3), var(2, 3, 2, 2));
        check("GroupNorm(1, 4) [N, C]", new GroupNorm(1, 4, 1e-5, false), var(3, 4));
    }

    @Test
    void instanceNorm() {
        check("InstanceNorm1d", new InstanceNorm1d(3), var(2, 3, 4));
        check("InstanceNorm1d affine, running stats", new InstanceNorm1d(3, 1e-5, 0.1, true, true), var(2, 3, 4));
        check("InstanceNorm2d affine", new InstanceNorm2d(2, 1e-5, 0.1, true, false), var(2, 2, 2, 3));
        InstanceNorm2d running = new InstanceNorm2d(2, 1e-5, 0.1, true, true);
        running.forward(Tensor.uniform(rng, -2f, 3f, 3, 2, 3, 3));
        running.eval();
        check("InstanceNorm2d eval with running stats", running, var(2, 2, 2, 2));
    }

    @Test
    void weightNormReachesGAndV() {
        Linear lin = new Linear(4, 3, rng.split("lin"));
        WeightNorm wn = new WeightNorm(lin);
        check("WeightNorm(Linear) dim 0", wn, var(5, 4));
        check("WeightNorm(Linear) dim 1", new WeightNorm(new Linear(3, 2, rng.split("lin1")), "weight", 1), var(4, 3));
    }
}
