package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Conv2dSpec;
import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Conv2d + BatchNorm2d folding (both orders) and folding inside residual blocks and a ResNet:
 * the folded model computes the eval-mode model's outputs within 1e-4, with the norms gone.
 */
class ConvBatchNormFoldTest {
    private final Rng rng = new Rng(8);

    /** Running statistics trained on shifted, scaled images; γ, β random. */
    private Sequential trained(Sequential model, int... shape) {
        for (Tensor p : model.parameters()) {
            if (p.dim() == 1) {
                p.copyFrom(Tensor.uniform(rng, 0.5f, 2f, p.shape()));
            }
        }
        model.train();
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (int step = 0; step < 15; step++) {
                model.forward(Tensor.uniform(rng, -1f, 3f, shape));
            }
        }
        return (Sequential) model.eval();
    }

    private void assertSameOutputs(Sequential model, Sequential folded, int... shape) {
        Tensor x = Tensor.uniform(rng, -1f, 3f, shape);
        try (GradMode.Scope s = GradMode.noGrad()) {
            float[] expected = model.forward(x).toArray();
            float[] actual = folded.forward(x).toArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-4 * Math.max(1, Math.abs(expected[i])), "output " + i);
            }
        }
    }

    private int count(Module m, Class<?> type) {
        int n = type.isInstance(m) ? 1 : 0;
        for (Module c : m.children().values()) {
            n += count(c, type);
        }
        return n;
    }

    @Test
    void convThenBatchNormAndBatchNormThenUnpaddedConvFold() {
        Sequential model = trained(new Sequential(
                new Conv2d(2, 4, 3, 3, Conv2dSpec.of(2, 1, 1, 1), false, rng), new BatchNorm2d(4), Activation.relu(),
                new BatchNorm2d(4), new Conv2d(4, 3, 1, 1, Conv2dSpec.of(1, 0, 1, 1), true, rng), Activation.relu(),
                new BatchNorm2d(3), new Conv2d(3, 2, 3, 1, 1, rng)), 4, 2, 7, 7);
        BatchNormFolding.Result r = BatchNormFolding.fold(model);
        assertEquals(2, r.folded(), "conv→BN and BN→1x1 conv fold; BN→padded conv does not");
        assertEquals(1, count(r.model(), BatchNorm2d.class));
        assertInstanceOf(Conv2d.class, r.model().layers().get(0));
        assertSameOutputs(model, r.model(), 3, 2, 7, 7);
    }

    @Test
    void residualBlocksFoldInside() {
        Sequential model = trained(new Sequential(new BasicBlock(2, 4, 2, rng), new Bottleneck(4, 1, 1, rng),
                new BasicBlock(4, 4, 1, Shortcut.PROJECTION, true, 1.0, rng)), 3, 2, 6, 6);
        BatchNormFolding.Result r = BatchNormFolding.fold(model);
        assertEquals(2 + 1 + 3, r.folded(), "basic (2) + projection (1) + bottleneck (3); pre-activation none");
        assertEquals(2, count(r.model(), BatchNorm2d.class), "only the pre-activation block's norms remain");
        assertSameOutputs(model, r.model(), 2, 2, 6, 6);
    }

    @Test
    void resNetFoldsStemAndBlocks() {
        ResNet net = new ResNet(1, ResNet.Config.basic(new int[] {3, 6}, new int[] {1, 1}), 5, rng);
        Sequential model = trained(new Sequential(List.of(net)), 4, 1, 8, 8);
        BatchNormFolding.Result r = BatchNormFolding.fold(model);
        assertEquals(1 + 2 + 3, r.folded());
        assertEquals(0, count(r.model(), BatchNorm2d.class));
        assertTrue(r.model().stateDict().containsKey("0.layer2.0.downsample.0.bias"));
        assertSameOutputs(model, r.model(), 3, 1, 8, 8);
    }
}
