package dev.myelin.nn;

import dev.myelin.nn.init.Init;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A residual network for small images (He et al. 2015, arXiv:1512.03385, §4.2, the CIFAR-10
 * architecture; Fleuret, "EE-559 Deep Learning, 6. Going deeper": "fully convolutional", then "a per-channel global average
 * pooling ... fed into a single fully-connected layer"):
 * <pre>
 * stem:   3×3 conv (in → w_1), BN, ReLU                     (pre-activation: the conv alone)
 * stage k: blocks_k blocks of width w_k; the first has stride 2 for k &gt; 1 (halves H and W)
 * head:   (pre-activation: BN, ReLU), global average pool, Linear(w_K·expansion → classes)
 * </pre>
 * Keys as torchvision's {@code ResNet} ({@code conv1}, {@code bn1}, {@code layer1.0.conv1.weight},
 * {@code layer2.0.downsample.0.weight}, {@code fc.weight}); the pre-activation head's norm is
 * {@code bn_final} (torchvision has no pre-activation ResNet). With 0 classes the network ends at
 * the pooled features [N, w_K·expansion]. Initialization as torchvision's: convolutions Kaiming
 * normal (fan_out, ReLU gain), BN γ = 1, β = 0; the Linear keeps PyTorch's default. Stochastic
 * depth, when on, gives block l of L the survival probability 1 − (l/L)(1 − p_L)
 * ({@link StochasticDepth#linearDecay}).
 */
public final class ResNet extends Module {
    /** The block type of every stage. */
    public enum Block { BASIC, BOTTLENECK }

    /**
     * The network as a config writes it (the {@code resnet} layer): {@code widths} per stage
     * (default [16, 32, 64]); {@code blocks} per stage (null: 2 per stage) or instead
     * {@code depth}, He et al.'s §4.2 count, 6n + 2 with basic blocks (two convolutions each) and
     * 9n + 2 with bottlenecks (three), n blocks in every stage; {@code block} (default basic),
     * {@code shortcut} (default projection), {@code preact} (default false) and
     * {@code stochasticDepth}, the last block's drop probability (default 0, in [0, 1)). The
     * resolved form has {@code blocks} and no {@code depth}.
     */
    public record Options(List<Integer> widths, List<Integer> blocks, Integer depth, Block block, Shortcut shortcut,
                          boolean preact, double stochasticDepth) {
        public Options {
            widths = List.copyOf(widths);
            dev.myelin.options.Check.that(!widths.isEmpty() && widths.stream().allMatch(w -> w >= 1), "widths",
                    "a list of positive integers, one per stage", widths);
            dev.myelin.options.Check.that(blocks == null || depth == null, "depth", "either blocks or depth, not both",
                    depth);
            if (depth != null) {
                blocks = fromDepth(depth, widths.size(), block);
                depth = null;
            }
            if (blocks != null) {
                blocks = List.copyOf(blocks);
                dev.myelin.options.Check.that(blocks.stream().allMatch(b -> b >= 1), "blocks",
                        "a list of positive integers, one per stage", blocks);
                dev.myelin.options.Check.that(blocks.size() == widths.size(), "blocks",
                        "one block count per width (" + widths.size() + ")", blocks);
            }
            dev.myelin.options.Check.that(stochasticDepth >= 0 && stochasticDepth < 1, "stochastic_depth",
                    "a drop probability of the last block in [0, 1)", stochasticDepth);
        }

        public static Options defaults() {
            return new Options(List.of(16, 32, 64), null, null, Block.BASIC, Shortcut.PROJECTION, false, 0);
        }

        private static List<Integer> fromDepth(int depth, int stages, Block block) {
            int perBlock = block == Block.BASIC ? 2 : 3;
            int n = (depth - 2) / (perBlock * stages);
            dev.myelin.options.Check.that(n >= 1 && n * perBlock * stages + 2 == depth, "depth", perBlock * stages
                    + "·n + 2 layers for " + stages + " stages of " + block.name().toLowerCase(java.util.Locale.ROOT)
                    + " blocks (e.g. " + (perBlock * stages + 2) + " or " + (3 * perBlock * stages + 2) + ")", depth);
            return java.util.Collections.nCopies(stages, n);
        }

        /** The architecture these options describe. */
        public Config config() {
            List<Integer> b = blocks == null ? java.util.Collections.nCopies(widths.size(), 2) : blocks;
            return new Config(widths.stream().mapToInt(Integer::intValue).toArray(),
                    b.stream().mapToInt(Integer::intValue).toArray(), block, shortcut, preact, 1 - stochasticDepth);
        }
    }

    /** The architecture: widths and block counts per stage, block type, shortcut, order, p_L. */
    public record Config(int[] widths, int[] blocks, Block block, Shortcut shortcut, boolean preact, double survival) {
        public Config {
            if (widths.length == 0 || widths.length != blocks.length) {
                throw new IllegalArgumentException("ResNet: expected as many widths as block counts (one per stage, at"
                        + " least one), got widths " + Arrays.toString(widths) + " and blocks " + Arrays.toString(blocks));
            }
            for (int i = 0; i < widths.length; i++) {
                if (widths[i] < 1 || blocks[i] < 1) {
                    throw new IllegalArgumentException("ResNet: expected widths and block counts >= 1, got widths "
                            + Arrays.toString(widths) + " and blocks " + Arrays.toString(blocks));
                }
            }
            if (!(survival > 0 && survival <= 1)) {
                throw new IllegalArgumentException("ResNet: expected the last block's survival probability in (0, 1],"
                        + " got " + survival);
            }
        }

        /** Post-activation basic blocks with projection shortcuts, no stochastic depth (workload C). */
        public static Config basic(int[] widths, int[] blocks) {
            return new Config(widths, blocks, Block.BASIC, Shortcut.PROJECTION, false, 1.0);
        }

        /** The channels of the network's output features. */
        public int features() {
            return widths[widths.length - 1] * (block == Block.BASIC ? BasicBlock.EXPANSION : Bottleneck.EXPANSION);
        }
    }

    private final Conv2d stem;
    private final BatchNorm2d stemNorm;
    private final List<Sequential> stages;
    private final BatchNorm2d finalNorm;
    private final Linear fc;

    /** @param classes the Linear head's outputs, or 0 for none */
    public ResNet(int inChannels, Config cfg, int classes, Rng rng) {
        this(ResidualBlock.conv(inChannels, cfg.widths()[0], 3, 1, rng.split("conv1")),
                cfg.preact() ? null : new BatchNorm2d(cfg.widths()[0]), buildStages(cfg, rng),
                cfg.preact() ? new BatchNorm2d(cfg.features()) : null,
                classes > 0 ? new Linear(cfg.features(), classes, rng.split("fc")) : null);
        Rng init = rng.split("init");
        for (Map.Entry<String, Tensor> e : namedParameters().entrySet()) {
            if (e.getValue().dim() == 4) {
                Init.kaimingNormal(e.getValue(), 0, Init.FanMode.FAN_OUT, "relu", init.split(e.getKey()));
            }
        }
    }

    private ResNet(Conv2d stem, BatchNorm2d stemNorm, List<Sequential> stages, BatchNorm2d finalNorm, Linear fc) {
        this.stem = child("conv1", stem);
        this.stemNorm = stemNorm == null ? null : child("bn1", stemNorm);
        this.stages = List.copyOf(stages);
        for (int i = 0; i < stages.size(); i++) {
            child("layer" + (i + 1), stages.get(i));
        }
        this.finalNorm = finalNorm == null ? null : child("bn_final", finalNorm);
        this.fc = fc == null ? null : child("fc", fc);
    }

    private static List<Sequential> buildStages(Config cfg, Rng rng) {
        int total = Arrays.stream(cfg.blocks()).sum();
        double[] p = cfg.survival() < 1 ? StochasticDepth.linearDecay(total, cfg.survival()) : null;
        List<Sequential> stages = new ArrayList<>();
        int in = cfg.widths()[0];
        int l = 0;
        for (int s = 0; s < cfg.widths().length; s++) {
            List<Module> blocks = new ArrayList<>();
            for (int b = 0; b < cfg.blocks()[s]; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                Rng r = rng.split("layer" + (s + 1) + "." + b);
                ResidualBlock block = cfg.block() == Block.BASIC
                        ? new BasicBlock(in, cfg.widths()[s], stride, cfg.shortcut(), cfg.preact(), p == null ? 1 : p[l], r)
                        : new Bottleneck(in, cfg.widths()[s], stride, cfg.shortcut(), cfg.preact(), p == null ? 1 : p[l], r);
                blocks.add(block);
                in = block.outChannels();
                l++;
            }
            stages.add(new Sequential(blocks));
        }
        return stages;
    }

    /** The residual stages, {@code layer1}, {@code layer2}, ... */
    public List<Sequential> stages() {
        return stages;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = stem.forward(x);
        if (stemNorm != null) {
            h = stemNorm.forward(h);
        }
        if (finalNorm == null) {
            h = h.relu();
        }
        for (Sequential s : stages) {
            h = s.forward(h);
        }
        if (finalNorm != null) {
            h = finalNorm.forward(h).relu();
        }
        h = h.mean(new int[] {2, 3}, false);
        return fc == null ? h : fc.forward(h);
    }

    /** This network for inference with the stem's and every post-activation block's conv→BN pairs folded. */
    BatchNormFolding.Folded foldBatchNorm() {
        Module stemFold = stemNorm == null ? null : BatchNormFolding.merge(stem, stemNorm);
        int folded = stemFold instanceof Conv2d ? 1 : 0;
        List<Sequential> fs = new ArrayList<>();
        for (Sequential s : stages) {
            BatchNormFolding.Result r = BatchNormFolding.foldLayers(s.layers());
            fs.add(r.model());
            folded += r.folded();
        }
        ResNet out = stemFold instanceof Conv2d c ? new ResNet(c, null, fs, finalNorm, fc)
                : new ResNet(stem, stemNorm, fs, finalNorm, fc);
        out.eval();
        return new BatchNormFolding.Folded(out, folded);
    }
}
