package dev.myelin.nn;

import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds eval-mode batch normalization into the neighbouring layer for inference
 * (Fleuret, "EE-559 Deep Learning, 6. Going deeper": "If it is applied just before or after a fully connected layer, it can be
 * integrated in it by changing its weights and biases appropriately"). In eval mode a batch
 * norm is the per-channel affine map y = z·s + t with s = γ/√(σ² + ε), t = β − μ·s
 * ({@link NormBase#evalScaleShift}), so with the layer z = W·x + b before it
 * <pre>
 * W' = diag(s)·W,   b' = s ⊙ (b − μ) + β = s ⊙ b + t        (layer, then norm)
 * </pre>
 * and, where a rule supports it, with the layer after it, y = W·(s ⊙ x + t) + b:
 * <pre>
 * W' = W·diag(s),   b' = b + W·t                              (norm, then layer)
 * </pre>
 * A norm without running statistics normalizes with each batch's own statistics even in eval
 * mode, so it is left in place. Dropout layers, the identity in eval mode, are left out of the
 * folded model, so a norm separated from its Linear by a dropout still folds. Which layer types
 * fold is the list {@link #RULES}: one
 * {@link Rule} per type ({@link Linear} with BatchNorm1d, {@link Conv2d} with BatchNorm2d).
 * Residual blocks fold the conv→BN pairs inside them ({@link ResidualBlock}, {@link ResNet}). A
 * {@link WeightNorm} is folded through: its computed weight is what gets scaled.
 */
public final class BatchNormFolding {
    /** How one layer type absorbs a batch norm's per-channel scale s and shift t. */
    public interface Rule {
        /** The layer computing {@code norm(layer(x))}, or null when this rule does not fold this pair. */
        Module foldFollowing(Module layer, NormBase norm, Tensor scale, Tensor shift);

        /** The layer computing {@code layer(norm(x))}, or null when this rule does not fold this pair. */
        Module foldPreceding(NormBase norm, Module layer, Tensor scale, Tensor shift);
    }

    /** The layer types that absorb a batch norm, tried in order. */
    public static final List<Rule> RULES = List.of(new LinearBatchNormFold(), new ConvBatchNormFold());

    /** The folded model and how many normalization layers disappeared into their neighbours. */
    public record Result(Sequential model, int folded) {
    }

    /** One folded module (a residual block or network folds inside) and how many norms it absorbed. */
    record Folded(Module module, int folded) {
    }

    private BatchNormFolding() {
    }

    /**
     * An equivalent model for inference, in eval mode, where every foldable batch norm is folded
     * into the layer before it (preferred) or after it. The input model must be in eval mode
     * and is not changed; layers that are not folded are shared with it, not copied.
     */
    public static Result fold(Sequential model) {
        if (model.isTraining()) {
            throw new IllegalStateException("BatchNormFolding: expected a model in eval mode (folding uses the running"
                    + " statistics, which is what eval mode computes), got one in training mode; call eval() first");
        }
        try (GradMode.Scope s = GradMode.noGrad()) {
            return foldLayers(model.layers());
        }
    }

    static Result foldLayers(List<Module> in) {
        List<Module> out = new ArrayList<>();
        int folded = 0;
        for (Module layer : in) {
            if (layer instanceof Sequential inner) {
                Result r = foldLayers(inner.layers());
                out.add(r.model());
                folded += r.folded();
                continue;
            }
            Folded inside = foldInside(layer);
            if (inside != null) {
                out.add(inside.module());
                folded += inside.folded();
                continue;
            }
            if (layer instanceof Dropout) {
                continue; // the identity in eval mode; dropping it lets BN, Dropout, Linear fold
            }
            Module merged = out.isEmpty() ? null : merge(out.get(out.size() - 1), layer);
            if (merged != null) {
                out.set(out.size() - 1, merged);
                folded++;
            } else {
                out.add(layer);
            }
        }
        Sequential result = new Sequential(out);
        result.eval();
        return new Result(result, folded);
    }

    /** Residual blocks and networks fold their own conv→BN pairs; null for other layers. */
    private static Folded foldInside(Module layer) {
        if (layer instanceof ResidualBlock b) {
            return b.foldBatchNorm();
        }
        return layer instanceof ResNet r ? r.foldBatchNorm() : null;
    }

    /** The single layer computing {@code second(first(x))} when one of them is a foldable norm, else null. */
    static Module merge(Module first, Module second) {
        if (second instanceof BatchNorm bn && bn.tracksRunningStats() && !(first instanceof NormBase)) {
            Tensor[] st = bn.evalScaleShift();
            for (Rule r : RULES) {
                Module m = r.foldFollowing(unwrap(first), bn, st[0], st[1]);
                if (m != null) {
                    return m;
                }
            }
        }
        if (first instanceof BatchNorm bn && bn.tracksRunningStats() && !(second instanceof NormBase)) {
            Tensor[] st = bn.evalScaleShift();
            for (Rule r : RULES) {
                Module m = r.foldPreceding(bn, unwrap(second), st[0], st[1]);
                if (m != null) {
                    return m;
                }
            }
        }
        return null;
    }

    private static Module unwrap(Module m) {
        return m instanceof WeightNorm w ? w.module() : m;
    }

    /**
     * W' = W·s (s along dimension 0, the output channels) and b' = b·s + t (b = 0 when absent):
     * the layer-then-norm fold for any weight laid out [out, ...] (Linear, convolutions).
     */
    public static Tensor[] scaleOutputs(Tensor weight, Tensor bias, Tensor scale, Tensor shift) {
        int[] s = new int[weight.dim()];
        java.util.Arrays.fill(s, 1);
        s[0] = weight.size(0);
        Tensor w = weight.mul(scale.reshape(s)).detach();
        Tensor b = (bias == null ? shift : bias.mul(scale).add(shift)).detach();
        return new Tensor[] {w.copy(), b.copy()};
    }
}
