package dev.myelin.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.nn.Activation;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LSUV (Mishkin &amp; Matas 2016) leaves every weighted layer's output with variance 1 within
 * the tolerance on the batch, in forward order, on a deep ReLU stack and on data far from unit
 * scale; it restores the training mode and refuses a layer whose output is constant.
 */
class LsuvTest {
    private final Rng rng = new Rng(9);

    private Sequential deepRelu(int depth, int width, int in) {
        List<Module> layers = new ArrayList<>();
        layers.add(new Linear(in, width, rng.split("l0")));
        for (int i = 1; i < depth; i++) {
            layers.add(Activation.relu());
            layers.add(new Dropout(0.5, rng.split("d" + i)));
            layers.add(new Linear(width, width, rng.split("l" + i)));
        }
        return new Sequential(layers);
    }

    @Test
    void everyWeightedLayerEndsWithUnitOutputVariance() {
        Sequential model = deepRelu(12, 64, 20);
        Tensor batch = Tensor.randn(rng.split("x"), 256, 20).mul(7f); // data at scale 7, not 1
        List<Lsuv.LayerReport> reports = Lsuv.apply(model, batch, new Lsuv.Options(0.02, 20, 512), rng.split("lsuv"));

        assertEquals(12, reports.size());
        List<Double> measured = outputVariances(model, batch);
        for (int i = 0; i < reports.size(); i++) {
            Lsuv.LayerReport r = reports.get(i);
            assertEquals(1.0, r.variance(), 0.02, r.layer());
            assertEquals(r.variance(), measured.get(i), 1e-4, r.layer() + ": the reported variance is the model's");
        }
        assertEquals("0", reports.get(0).layer());
        assertEquals("3", reports.get(1).layer());
        assertTrue(reports.get(0).rescalings() >= 1, "the first layer sees data at scale 7 and must be rescaled");
        assertTrue(model.isTraining(), "LSUV puts the model back in training mode");
    }

    @Test
    void thePapersDefaultsStopWithinTolerancePointOne() {
        Sequential model = deepRelu(6, 32, 10);
        Tensor batch = Tensor.randn(rng.split("x2"), 128, 10);
        for (Lsuv.LayerReport r : Lsuv.apply(model, batch, Lsuv.Options.defaults(), rng.split("lsuv2"))) {
            assertTrue(Math.abs(r.variance() - 1) < 0.1 && r.rescalings() <= 10, r.toString());
        }
    }

    @Test
    void aConstantLayerOutputIsAClearError() {
        Sequential model = deepRelu(2, 8, 4);
        Tensor batch = Tensor.zeros(16, 4);
        ((Linear) model.layers().get(0)).bias().fill(0f);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Lsuv.apply(model, batch, Lsuv.Options.defaults(), rng));
        assertTrue(e.getMessage().contains("layer 0") && e.getMessage().contains("variance 0"), e.getMessage());
    }

    @Test
    void badOptionsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Lsuv.Options(0, 10, 512));
        assertTrue(e.getMessage().contains("tol"), e.getMessage());
    }

    /** The biased variance of each Linear's output in an eval-mode forward pass, through the forward hook. */
    private static List<Double> outputVariances(Sequential model, Tensor batch) {
        List<Double> out = new ArrayList<>();
        model.eval();
        try (GradMode.Scope s = GradMode.noGrad()) {
            model.forward(batch, (i, layer, y) -> {
                if (layer instanceof Linear) {
                    out.add(Lsuv.variance(y));
                }
            });
        }
        model.train();
        return out;
    }
}
