package dev.myelin.cli.layers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.nn.AlphaDropout;
import dev.myelin.nn.Dropout2d;
import dev.myelin.nn.Module;

/**
 * The dropout variants with one option, the drop probability {@code p} (default 0.5):
 * {@code dropout2d} drops whole channels of [C, H, W] or [C, L] samples (Tompson et al. 2015),
 * {@code alpha_dropout} keeps SELU's zero mean and unit variance (Klambauer et al. 2017).
 */
public record DropoutVariantSpec(String name, double p) implements LayerSpec {
    static DropoutVariantSpec parse(String name, Fields f) {
        double p = f.number("p", 0.5, "p: 0.2");
        return new DropoutVariantSpec(name, f.check("p", p, p >= 0 && p < 1, "a probability in [0, 1)", "p: 0.2"));
    }

    @Override
    public ObjectNode options() {
        return LayerSpec.obj().put("p", p);
    }

    @Override
    public Module build(LayerContext ctx) {
        return switch (name) {
            case "dropout2d" -> {
                int rank = ctx.shape().length;
                if (rank != 2 && rank != 3) {
                    throw ctx.error("samples with channels, [C, H, W] or [C, L]",
                            "Use `- dropout` for flat features [F]; dropout2d goes between convolutions, before `- flatten`");
                }
                yield new Dropout2d(p, ctx.rng());
            }
            case "alpha_dropout" -> new AlphaDropout(p, ctx.rng());
            default -> throw new IllegalStateException("no dropout variant named " + name);
        };
    }
}
