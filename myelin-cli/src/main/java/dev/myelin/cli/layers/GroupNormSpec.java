package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.GroupNorm;
import dev.myelin.nn.Module;
import java.util.stream.IntStream;

/**
 * Group normalization: the sample's channels (its first dimension) in {@code groups} groups,
 * each normalized over its channels and positions; eps 1e-5, affine true, as PyTorch's
 * {@code nn.GroupNorm} (whose num_channels follows from the sample here).
 */
public record GroupNormSpec(int groups, double eps, boolean affine) implements LayerSpec {
    static GroupNormSpec parse(String name, Fields f) {
        int groups = f.integer("groups", null, 1, "`- groupnorm: {groups: 8}`");
        double eps = f.number("eps", 1e-5, "eps: 1.0e-5");
        f.check("eps", eps, eps > 0, "a number > 0", "eps: 1.0e-5");
        return new GroupNormSpec(groups, eps, f.bool("affine", true));
    }

    @Override
    public String name() {
        return "groupnorm";
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("groups", groups).put("eps", eps).put("affine", affine);
    }

    @Override
    public Module build(LayerContext ctx) {
        int c = ctx.shape()[0];
        if (c % groups != 0) {
            String divisors = String.join(", ", IntStream.rangeClosed(1, c).filter(d -> c % d == 0)
                    .mapToObj(Integer::toString).toList());
            throw ctx.error("groups", "a divisor of the " + c + " channels of the sample (one of " + divisors + ")",
                    Integer.toString(groups), "Set groups to one of those");
        }
        return new GroupNorm(groups, c, eps, affine);
    }
}
