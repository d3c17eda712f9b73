package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.Module;

/** Batch normalization over the feature dimension (PyTorch's defaults). */
public record BatchNormSpec(double eps, double momentum, boolean affine, boolean trackRunningStats)
        implements LayerSpec {
    static BatchNormSpec parse(String name, Fields f) {
        double eps = f.number("eps", 1e-5, "eps: 1.0e-5");
        f.check("eps", eps, eps > 0, "a number > 0", "eps: 1.0e-5");
        double momentum = f.number("momentum", 0.1, "momentum: 0.1");
        f.check("momentum", momentum, momentum >= 0 && momentum <= 1, "a number in [0, 1]", "momentum: 0.1");
        return new BatchNormSpec(eps, momentum, f.bool("affine", true), f.bool("track_running_stats", true));
    }

    @Override
    public String name() {
        return "batchnorm1d";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("eps", eps).put("momentum", momentum).put("affine", affine)
                .put("track_running_stats", trackRunningStats);
    }

    @Override
    public Module build(LayerContext ctx) {
        int[] shape = ctx.shape();
        if (shape.length > 2) {
            throw ctx.error("input features [C] or [C, L]", "Add `- flatten` before it");
        }
        return new BatchNorm1d(shape[0], eps, momentum, affine, trackRunningStats);
    }
}
