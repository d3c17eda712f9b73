package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.AdaptiveAvgPool2d;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;

/**
 * {@code adaptive_avgpool2d: {output: [h, w]}} averages each image down to h x w whatever its
 * size; {@code global_avgpool} averages each channel to one value and flattens, so [C, H, W]
 * becomes [C] (adaptive_avgpool2d to 1x1 followed by flatten, the pooling before a ResNet's
 * classifier).
 */
public record AdaptivePoolSpec(String name, Pair output) implements LayerSpec {
    static AdaptivePoolSpec parse(String name, Fields f) {
        if (name.equals("global_avgpool")) {
            return new AdaptivePoolSpec(name, new Pair(1, 1));
        }
        return new AdaptivePoolSpec(name, Pair.read(f, "output", null, 1, "`- adaptive_avgpool2d: {output: [1, 1]}`"));
    }

    @Override
    public ObjectNode options() {
        return name.equals("global_avgpool") ? LayerSpec.obj() : output.into(LayerSpec.obj(), "output");
    }

    @Override
    public Module build(LayerContext ctx) {
        int[] s = InputShapes.requireImage(ctx);
        AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(output.h(), output.w());
        if (name.equals("global_avgpool")) {
            ctx.shape(s[0]);
            return new Sequential(pool, new Flatten());
        }
        ctx.shape(pool.outputShape(s));
        return pool;
    }
}
