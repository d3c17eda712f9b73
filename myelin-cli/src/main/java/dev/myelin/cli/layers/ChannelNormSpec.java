package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.BatchNorm2d;
import dev.myelin.nn.InstanceNorm1d;
import dev.myelin.nn.InstanceNorm2d;
import dev.myelin.nn.Module;

/**
 * The per-channel normalizations with running statistics: {@code batchnorm1d} (samples [C] or
 * [C, L]), {@code batchnorm2d} ([C, H, W]), {@code instancenorm1d} ([C, L]) and
 * {@code instancenorm2d} ([C, H, W]). Options and defaults as PyTorch's: eps 1e-5, momentum
 * 0.1; affine and track_running_stats true for batch norm, false for instance norm.
 */
public record ChannelNormSpec(String name, double eps, double momentum, boolean affine, boolean trackRunningStats)
        implements LayerSpec {

    /** {@code batchnorm1d} with these options. */
    public ChannelNormSpec(double eps, double momentum, boolean affine, boolean trackRunningStats) {
        this("batchnorm1d", eps, momentum, affine, trackRunningStats);
    }

    static ChannelNormSpec parse(String name, Fields f) {
        double eps = f.number("eps", 1e-5, "eps: 1.0e-5");
        f.check("eps", eps, eps > 0, "a number > 0", "eps: 1.0e-5");
        double momentum = f.number("momentum", 0.1, "momentum: 0.1");
        f.check("momentum", momentum, momentum >= 0 && momentum <= 1, "a number in [0, 1]", "momentum: 0.1");
        boolean batch = name.startsWith("batchnorm");
        return new ChannelNormSpec(name, eps, momentum, f.bool("affine", batch), f.bool("track_running_stats", batch));
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("eps", eps).put("momentum", momentum).put("affine", affine)
                .put("track_running_stats", trackRunningStats);
    }

    @Override
    public Module build(LayerContext ctx) {
        int[] shape = ctx.shape();
        int c = shape[0];
        return switch (name) {
            case "batchnorm1d" -> {
                require(ctx, shape.length <= 2, "[C] or [C, L]");
                yield new BatchNorm1d(c, eps, momentum, affine, trackRunningStats);
            }
            case "batchnorm2d" -> {
                require(ctx, shape.length == 3, "[C, H, W]");
                yield new BatchNorm2d(c, eps, momentum, affine, trackRunningStats);
            }
            case "instancenorm1d" -> {
                require(ctx, shape.length == 2 && shape[1] > 1, "[C, L] with L > 1");
                yield new InstanceNorm1d(c, eps, momentum, affine, trackRunningStats);
            }
            default -> {
                require(ctx, shape.length == 3 && shape[1] * shape[2] > 1, "[C, H, W] with H·W > 1");
                yield new InstanceNorm2d(c, eps, momentum, affine, trackRunningStats);
            }
        };
    }

    private void require(LayerContext ctx, boolean ok, String expected) {
        if (ok) {
            return;
        }
        int[] shape = ctx.shape();
        String fix = switch (shape.length) {
            case 1 -> "For flat features use batchnorm1d or layernorm; " + name + " wants channels and positions";
            case 2 -> name.equals("batchnorm2d") ? "Use batchnorm1d or instancenorm1d for samples [C, L]"
                    : "Samples [C, L] need more than one position per channel";
            default -> name.endsWith("1d") ? "Use " + name.replace("1d", "2d") + " for images, or add `- flatten` before it"
                    : "Images [C, H, W] need more than one pixel per channel";
        };
        throw ctx.error("a sample of shape " + expected + " for " + name, fix);
    }
}
