package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Module;
import dev.myelin.nn.ResNet;
import dev.myelin.nn.Shortcut;
import java.util.Arrays;
import java.util.List;

/**
 * {@code resnet}: a residual network body ({@link ResNet}: 3×3 stem, stages of residual blocks,
 * stride 2 between stages, global average pooling) whose output is the pooled features [C];
 * follow it with {@code - linear: {out: classes}}. Blocks per stage are {@code blocks} (a list,
 * one count per width) or follow from {@code depth} as in He et al. 2015 §4.2: depth = 6n + 2
 * with basic blocks (2 convolutions each) and 3 stages, 9n + 2 with bottlenecks.
 */
public record ResNetSpec(int[] widths, int[] blocks, String block, String shortcut, boolean preact,
                         double stochasticDepth) implements LayerSpec {
    static final List<String> BLOCKS = List.of("basic", "bottleneck");
    static final List<String> SHORTCUTS = List.of("projection", "pad");

    static ResNetSpec parse(String name, Fields f) {
        int[] widths = ints(f, "widths", new int[] {16, 32, 64}, "widths: [16, 32, 64]");
        String block = f.choice("block", "basic", BLOCKS);
        int[] blocks;
        if (f.has("blocks") && f.has("depth")) {
            throw f.error("depth", "either blocks or depth, not both", f.raw("depth"), "Remove depth or blocks");
        }
        if (f.has("depth")) {
            blocks = fromDepth(f, f.integer("depth", null, 1, "depth: 20"), widths.length, block);
        } else {
            blocks = ints(f, "blocks", new int[] {2, 2, 2}, "blocks: [2, 2, 2]");
        }
        if (blocks.length != widths.length) {
            throw f.error("blocks", "one block count per width (" + widths.length + ")", f.raw("blocks"),
                    "Write as many counts as widths, e.g. blocks: " + Arrays.toString(new int[widths.length]).replace('0', '2'));
        }
        String shortcut = f.choice("shortcut", "projection", SHORTCUTS);
        boolean preact = f.bool("preact", false);
        double sd = f.number("stochastic_depth", 0.0, "stochastic_depth: 0.5");
        f.check("stochastic_depth", sd, sd >= 0 && sd < 1, "a drop probability of the last block in [0, 1)",
                "stochastic_depth: 0.5");
        return new ResNetSpec(widths, blocks, block, shortcut, preact, sd);
    }

    private static int[] fromDepth(Fields f, int depth, int stages, String block) {
        int perBlock = block.equals("basic") ? 2 : 3;
        int n = (depth - 2) / (perBlock * stages);
        if (n < 1 || n * perBlock * stages + 2 != depth) {
            throw f.error("depth", perBlock * stages + "·n + 2 layers for " + stages + " stages of " + block
                    + " blocks (e.g. " + (perBlock * stages + 2) + " or " + (3 * perBlock * stages + 2) + ")",
                    f.raw("depth"), "Pick such a depth, or give blocks per stage");
        }
        int[] b = new int[stages];
        Arrays.fill(b, n);
        return b;
    }

    /** A non-empty list of positive integers. */
    private static int[] ints(Fields f, String key, int[] dflt, String example) {
        JsonNode n = f.raw(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        boolean ok = n.isArray() && !n.isEmpty();
        for (JsonNode e : n) {
            ok &= e.isInt() && e.asInt() >= 1;
        }
        if (!ok) {
            throw f.error(key, "a list of positive integers, one per stage", n, "Write e.g. `" + example + "`");
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    ResNet.Config config() {
        return new ResNet.Config(widths, blocks, block.equals("basic") ? ResNet.Block.BASIC : ResNet.Block.BOTTLENECK,
                shortcut.equals("pad") ? Shortcut.PAD : Shortcut.PROJECTION, preact, 1 - stochasticDepth);
    }

    @Override
    public String name() {
        return "resnet";
    }

    @Override
    public ObjectNode options() {
        ObjectNode o = LayerSpec.obj();
        ArrayNode w = o.putArray("widths");
        Arrays.stream(widths).forEach(w::add);
        ArrayNode b = o.putArray("blocks");
        Arrays.stream(blocks).forEach(b::add);
        return o.put("block", block).put("shortcut", shortcut).put("preact", preact)
                .put("stochastic_depth", stochasticDepth);
    }

    @Override
    public Module build(LayerContext ctx) {
        int[] s = InputShapes.requireImage(ctx);
        ResNet.Config cfg = config();
        ResNet net = new ResNet(s[0], cfg, 0, ctx.rng());
        ctx.shape(cfg.features());
        return net;
    }
}
