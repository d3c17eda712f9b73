package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.GradCheck;
import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Residual blocks: gradient checks of BasicBlock and Bottleneck with each shortcut (identity,
 * projection, pad) in both orders, the pad shortcut's values, torchvision's state-dict keys,
 * stochastic depth inside a block, and the ResNet builder's shapes and keys.
 */
class ResidualBlockTest {
    private final Rng rng = new Rng(21);

    private Tensor var(int... shape) {
        return Tensor.uniform(rng, -1f, 1f, shape).requiresGrad(true);
    }

    /** d(Σ block(x) ⊙ r)/dx and d/dp for every parameter, BN weights moved off 1. */
    private void check(String name, Module block, Tensor x) {
        List<Tensor> inputs = new ArrayList<>(List.of(x));
        block.namedParameters().forEach((k, p) -> {
            if (p.dim() == 1) {
                p.copyFrom(Tensor.uniform(rng, 0.5f, 1.5f, p.shape()));
            }
            inputs.add(p);
        });
        GradCheck.DEFAULT.check(name, t -> block.forward(t[0]), inputs.toArray(Tensor[]::new));
    }

    @Test
    void basicBlockGradientsForEveryShortcut() {
        check("basic identity", new BasicBlock(2, 2, 1, rng), var(2, 2, 4, 4));
        check("basic projection", new BasicBlock(2, 3, 2, rng), var(2, 2, 5, 5));
        check("basic pad", new BasicBlock(2, 3, 2, Shortcut.PAD, false, 1.0, rng), var(2, 2, 4, 4));
        check("basic preact projection", new BasicBlock(2, 3, 2, Shortcut.PROJECTION, true, 1.0, rng), var(2, 2, 4, 4));
        check("basic preact identity", new BasicBlock(2, 2, 1, Shortcut.PROJECTION, true, 1.0, rng), var(2, 2, 3, 3));
    }

    @Test
    void bottleneckGradients() {
        check("bottleneck projection", new Bottleneck(3, 1, 2, rng), var(2, 3, 4, 4));
        check("bottleneck identity", new Bottleneck(4, 1, 1, rng), var(2, 4, 3, 3));
        check("bottleneck preact pad", new Bottleneck(3, 2, 2, Shortcut.PAD, true, 1.0, rng), var(2, 3, 4, 4));
    }

    @Test
    void padShortcutSubsamplesAndAppendsZeroChannels() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor y = new PadShortcut(2, 2).forward(x);
        assertArrayEquals(new int[] {1, 3, 2, 2}, y.shape());
        assertArrayEquals(new float[] {1, 3, 7, 9, 0, 0, 0, 0, 0, 0, 0, 0}, y.data());
        assertEquals(0, new PadShortcut(2, 2).parameters().size());
    }

    @Test
    void stateDictKeysAreTorchvisions() {
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "bn1.num_batches_tracked", "conv2.weight", "bn2.weight", "bn2.bias", "bn2.running_mean",
                "bn2.running_var", "bn2.num_batches_tracked", "downsample.0.weight", "downsample.1.weight",
                "downsample.1.bias", "downsample.1.running_mean", "downsample.1.running_var",
                "downsample.1.num_batches_tracked"), new ArrayList<>(new BasicBlock(2, 4, 2, rng).stateDict().keySet()));
        assertTrue(new Bottleneck(8, 2, 1, rng).stateDict().containsKey("conv3.weight"));
        assertTrue(new BasicBlock(2, 4, 2, Shortcut.PAD, false, 1.0, rng).stateDict().keySet().stream()
                .noneMatch(k -> k.startsWith("downsample")), "the pad shortcut has no parameters or buffers");
    }

    @Test
    void stochasticDepthDropsTheBranchInTrainingAndScalesItInEval() {
        BasicBlock block = new BasicBlock(2, 2, 1, Shortcut.PROJECTION, false, 0.5, new Rng(3));
        Tensor x = Tensor.uniform(rng, -1f, 1f, 2, 2, 3, 3);
        int dropped = 0;
        for (int i = 0; i < 40; i++) {
            Tensor y = block.forward(x);
            dropped += java.util.Arrays.equals(y.data(), x.relu().data()) ? 1 : 0;
        }
        assertTrue(dropped > 5 && dropped < 35, "about half the passes skip the branch, got " + dropped + " of 40");
        block.eval();
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor h = block.norms().get(0).forward(block.convs().get(0).forward(x)).relu();
            Tensor branch = block.norms().get(1).forward(block.convs().get(1).forward(h));
            float[] expected = branch.mul(0.5f).add(x).relu().data();
            float[] actual = block.forward(x).data();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-6, "eval: ReLU(p·F(x) + x) at " + i);
            }
        }
    }

    @Test
    void resNetShapesKeysAndStages() {
        ResNet net = new ResNet(1, ResNet.Config.basic(new int[] {4, 8, 16}, new int[] {2, 1, 1}), 10, rng);
        Tensor y = net.forward(Tensor.uniform(rng, -1f, 1f, 2, 1, 12, 12));
        assertArrayEquals(new int[] {2, 10}, y.shape());
        var keys = net.stateDict().keySet();
        for (String k : List.of("conv1.weight", "bn1.running_var", "layer1.1.conv2.weight", "layer2.0.downsample.0.weight",
                "layer3.0.downsample.1.running_mean", "fc.weight", "fc.bias")) {
            assertTrue(keys.contains(k), k + " in " + keys);
        }
        ResNet pre = new ResNet(3, new ResNet.Config(new int[] {2, 3}, new int[] {1, 1}, ResNet.Block.BOTTLENECK,
                Shortcut.PAD, true, 0.5), 0, rng);
        assertArrayEquals(new int[] {3, 12}, pre.forward(Tensor.uniform(rng, -1f, 1f, 3, 3, 5, 5)).shape());
        assertTrue(pre.stateDict().containsKey("bn_final.weight"));
    }

    @Test
    void badArchitecturesAreExplained() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ResNet.Config.basic(new int[] {4, 8}, new int[] {2}));
        assertTrue(e.getMessage().contains("as many widths as block counts"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BasicBlock(4, 2, 1, Shortcut.PAD, false, 1.0, rng));
    }
}
