package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A folded model computes what the model with its batch norms computes in eval mode, within 1e-5. */
class BatchNormFoldingTest {
    private final Rng rng = new Rng(5);

    /** Trains the batch norms' running statistics on shifted, scaled data and gives γ, β random values. */
    private Sequential trained(Sequential model) {
        for (Tensor p : model.parameters()) {
            if (p.dim() == 1) {
                p.copyFrom(Tensor.uniform(rng, 0.5f, 2f, p.shape()));
            }
        }
        model.train();
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (int step = 0; step < 20; step++) {
                model.forward(Tensor.uniform(rng, -1f, 4f, 32, 6));
            }
        }
        return (Sequential) model.eval();
    }

    private void assertSameOutputs(Sequential model, Sequential folded) {
        Tensor x = Tensor.uniform(rng, -1f, 4f, 50, 6);
        try (GradMode.Scope s = GradMode.noGrad()) {
            float[] expected = model.forward(x).toArray();
            float[] actual = folded.forward(x).toArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5, "output " + i);
            }
        }
    }

    @Test
    void batchNormAfterLinearFoldsIntoItsWeightsAndBias() {
        Sequential model = trained(new Sequential(new Linear(6, 8, rng), new BatchNorm1d(8), Activation.relu(),
                new Linear(8, 5, false, rng), new BatchNorm1d(5), Activation.tanh(), new Linear(5, 3, rng)));
        BatchNormFolding.Result r = BatchNormFolding.fold(model);
        assertEquals(2, r.folded());
        List<Module> layers = r.model().layers();
        assertEquals(5, layers.size(), layers.toString());
        assertInstanceOf(Linear.class, layers.get(0));
        assertInstanceOf(Linear.class, layers.get(2));
        assertTrue(((Linear) layers.get(2)).bias() != null, "a Linear without bias gets one");
        assertSame(model.layers().get(6), layers.get(4), "layers that are not folded are shared");
        assertSameOutputs(model, r.model());
        assertTrue(!r.model().isTraining());
    }

    @Test
    void batchNormBeforeLinearFoldsIntoTheLinearAfterIt() {
        // BN after the activation: Linear, ReLU, BN, Dropout, Linear; the BN folds into the second Linear
        // (dropout is the identity in eval mode and is left out).
        Sequential model = trained(new Sequential(new BatchNorm1d(6), new Linear(6, 8, rng), Activation.relu(),
                new BatchNorm1d(8, 1e-3, 0.2, false, true), new Dropout(0.3, rng), new Linear(8, 3, rng)));
        BatchNormFolding.Result r = BatchNormFolding.fold(model);
        assertEquals(2, r.folded());
        assertEquals(3, r.model().layers().size(), "Linear, ReLU, Linear: " + r.model().layers());
        assertSameOutputs(model, r.model());
    }

    @Test
    void weightNormedLinearAndNestedSequentialsFold() {
        Sequential model = trained(new Sequential(new WeightNorm(new Linear(6, 4, rng)), new BatchNorm1d(4),
                new Sequential(Activation.relu(), new Linear(4, 4, rng), new BatchNorm1d(4)), new Linear(4, 2, rng)));
        BatchNormFolding.Result r = BatchNormFolding.fold(model);
        assertEquals(2, r.folded());
        assertSameOutputs(model, r.model());
    }

    @Test
    void batchNormWithoutRunningStatisticsStays() {
        Sequential model = trained(new Sequential(new Linear(6, 4, rng), new BatchNorm1d(4, 1e-5, 0.1, true, false),
                Activation.relu(), new Linear(4, 2, rng)));
        BatchNormFolding.Result r = BatchNormFolding.fold(model);
        assertEquals(0, r.folded());
        assertEquals(4, r.model().layers().size());
    }

    @Test
    void theOriginalModelIsUnchangedAndMustBeInEvalMode() {
        Sequential model = trained(new Sequential(new Linear(6, 4, rng), new BatchNorm1d(4), new Linear(4, 2, rng)));
        float[] weight = ((Linear) model.layers().get(0)).weight().toArray();
        BatchNormFolding.fold(model);
        assertArrayEquals(weight, ((Linear) model.layers().get(0)).weight().toArray());
        model.train();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BatchNormFolding.fold(model));
        assertTrue(e.getMessage().contains("eval mode"), e.getMessage());
    }
}
