package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.Conv2d;
import dev.myelin.nn.Module;
import dev.myelin.tensor.Conv2dSpec;

/**
 * {@code conv2d}: a 2-D convolution with {@code out} channels ({@link Conv2d}); the input
 * channels follow from the sample shape [C, H, W]. Kernel, stride, padding and dilation are an
 * integer or [height, width].
 */
public record ConvSpec(int out, Pair kernel, Pair stride, Pair padding, Pair dilation, int groups, boolean bias)
        implements LayerSpec {
    static ConvSpec parse(String name, Fields f) {
        return new ConvSpec(f.integer("out", null, 1, "`- conv2d: {out: 32, kernel: 3, padding: 1}`"),
                Pair.read(f, "kernel", null, 1, "kernel: 3"),
                Pair.read(f, "stride", 1, 1, "stride: 2"),
                Pair.read(f, "padding", 0, 0, "padding: 1"),
                Pair.read(f, "dilation", 1, 1, "dilation: 2"),
                f.integer("groups", 1, 1, "groups: 2"),
                f.bool("bias", true));
    }

    @Override
    public String name() {
        return "conv2d";
    }

    @Override
    public ObjectNode options() {
        ObjectNode o = LayerSpec.obj().put("out", out);
        kernel.into(o, "kernel");
        stride.into(o, "stride");
        padding.into(o, "padding");
        dilation.into(o, "dilation");
        return o.put("groups", groups).put("bias", bias);
    }

    @Override
    public Module build(LayerContext ctx) {
        int[] s = InputShapes.requireImage(ctx);
        if (s[0] % groups != 0 || out % groups != 0) {
            throw ctx.error("groups", "a divisor of the input channels (" + s[0] + ") and of out (" + out + ")",
                    Integer.toString(groups), "Change groups or out");
        }
        int effH = dilation.h() * (kernel.h() - 1) + 1;
        int effW = dilation.w() * (kernel.w() - 1) + 1;
        InputShapes.requireFits(ctx, "kernel", kernel + (effH != kernel.h() || effW != kernel.w()
                ? " (dilated to " + effH + "x" + effW + ")" : ""), effH, effW, padding, s);
        Conv2d conv = new Conv2d(s[0], out, kernel.h(), kernel.w(), new Conv2dSpec(stride.h(), stride.w(),
                padding.h(), padding.w(), dilation.h(), dilation.w(), groups), bias, ctx.rng());
        ctx.shape(conv.outputShape(s));
        return conv;
    }
}
