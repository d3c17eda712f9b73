package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.AvgPool2d;
import dev.myelin.nn.MaxPool2d;
import dev.myelin.nn.Module;
import dev.myelin.tensor.Pool2dSpec;

/**
 * {@code maxpool2d} and {@code avgpool2d}: pooling windows of {@code kernel} moved by
 * {@code stride} (default: the kernel) over the zero-padded image; {@code count_include_pad}
 * (avgpool2d only, default true as PyTorch) counts the padding in the average's divisor.
 */
public record PoolSpec(String name, Pair kernel, Pair stride, Pair padding, boolean countIncludePad)
        implements LayerSpec {
    static PoolSpec parse(String name, Fields f) {
        Pair kernel = Pair.read(f, "kernel", null, 1, "`- " + name + ": {kernel: 2}`");
        Pair stride = f.has("stride") ? Pair.read(f, "stride", null, 1, "stride: 2") : kernel;
        Pair padding = Pair.read(f, "padding", 0, 0, "padding: 1");
        if (padding.h() > kernel.h() / 2 || padding.w() > kernel.w() / 2) {
            throw f.error("padding", "at most half the kernel (" + kernel.h() / 2 + "x" + kernel.w() / 2 + ")",
                    f.raw("padding"), "Use less padding or a larger kernel");
        }
        boolean countPad = name.equals("avgpool2d") && f.bool("count_include_pad", true);
        return new PoolSpec(name, kernel, stride, padding, countPad);
    }

    @Override
    public ObjectNode options() {
        ObjectNode o = LayerSpec.obj();
        kernel.into(o, "kernel");
        stride.into(o, "stride");
        padding.into(o, "padding");
        return name.equals("avgpool2d") ? o.put("count_include_pad", countIncludePad) : o;
    }

    @Override
    public Module build(LayerContext ctx) {
        int[] s = InputShapes.requireImage(ctx);
        InputShapes.requireFits(ctx, "kernel", kernel.toString(), kernel.h(), kernel.w(), padding, s);
        Pool2dSpec spec = new Pool2dSpec(kernel.h(), kernel.w(), stride.h(), stride.w(), padding.h(), padding.w(),
                countIncludePad);
        if (name.equals("maxpool2d")) {
            MaxPool2d pool = new MaxPool2d(spec);
            ctx.shape(pool.outputShape(s));
            return pool;
        }
        AvgPool2d pool = new AvgPool2d(spec);
        ctx.shape(pool.outputShape(s));
        return pool;
    }
}
