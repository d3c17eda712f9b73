package dev.myelin.nn;

import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * Layer normalization (Ba, Kiros &amp; Hinton 2016; Fleuret, "EE-559 Deep Learning, 6. Going deeper"): each sample is
 * normalized over its last D dimensions (the {@code normalizedShape}) by its own statistics,
 * so training and evaluation behave the same and no batch statistics are involved:
 * <pre>
 * μ = (1/D)·Σ_d x_d,   σ² = (1/D)·Σ_d (x_d − μ)²,   y_d = γ_d·(x_d − μ)/√(σ² + ε) + β_d
 * </pre>
 * Shape: input [*, normalizedShape...] (any leading dimensions), output the same. With {@code elementwiseAffine}, γ
 * (weight, ones) and β (bias, zeros) have the shape {@code normalizedShape}: one value per
 * normalized element, not per channel. Defaults and state-dict keys (weight, bias) as
 * PyTorch's {@code nn.LayerNorm}: eps 1e-5, elementwiseAffine true.
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final float eps;
    private final Tensor weight;
    private final Tensor bias;

    /**
     * PyTorch's {@code nn.LayerNorm} options: the normalized trailing dimensions (null: the whole
     * sample, which a caller that knows the input fills in), eps 1e-5, elementwise_affine true.
     */
    public record Options(java.util.List<Integer> normalizedShape, double eps, boolean elementwiseAffine) {
        public Options {
            normalizedShape = normalizedShape == null ? null : java.util.List.copyOf(normalizedShape);
            dev.myelin.options.Check.that(normalizedShape == null || (!normalizedShape.isEmpty()
                    && normalizedShape.stream().allMatch(d -> d >= 1)), "normalized_shape",
                    "a positive integer or a list of positive integers", normalizedShape);
            dev.myelin.options.Check.positive("eps", eps);
        }

        public static Options defaults() {
            return new Options(null, 1e-5, true);
        }
    }

    /** A layer norm over {@code o.normalizedShape()}, or over {@code sample} when that is null. */
    public LayerNorm(int[] sample, Options o) {
        this(o.normalizedShape() == null ? sample : o.normalizedShape().stream().mapToInt(Integer::intValue).toArray(),
                o.eps(), o.elementwiseAffine());
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(d -> d < 1) || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm: expected a normalized_shape of sizes >= 1 and eps > 0, got "
                    + Arrays.toString(normalizedShape) + " and eps=" + eps);
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = (float) eps;
        this.weight = elementwiseAffine ? param("weight", Tensor.ones(normalizedShape)) : null;
        this.bias = elementwiseAffine ? param("bias", Tensor.zeros(normalizedShape)) : null;
    }

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, Options.defaults());
    }

    @Override
    public Tensor forward(Tensor x) {
        checkShape(x.shape());
        int d = Arrays.stream(normalizedShape).reduce(1, (a, b) -> a * b);
        // Every leading index (batch and any others) is a row normalized on its own.
        Tensor rows = x.reshape(x.numel() / d, d);
        Tensor y = GroupStatistics.normalize(rows, 1, eps).reshape(x.shape());
        if (weight != null) {
            y = y.mul(weight).add(bias);
        }
        return y;
    }

    private void checkShape(int[] shape) {
        int k = normalizedShape.length;
        boolean ok = shape.length >= k
                && Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape);
        if (!ok) {
            throw new IllegalArgumentException(this + ": expected input [*, " + join(normalizedShape)
                    + "] (trailing dimensions equal to normalized_shape), got " + Arrays.toString(shape));
        }
    }

    private static String join(int[] s) {
        return String.join(", ", Arrays.stream(s).mapToObj(Integer::toString).toList());
    }

    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    /** γ, or null without {@code elementwiseAffine}. */
    public Tensor weight() {
        return weight;
    }

    /** β, or null without {@code elementwiseAffine}. */
    public Tensor bias() {
        return bias;
    }

    @Override
    public String toString() {
        return "LayerNorm(" + Arrays.toString(normalizedShape) + ", eps=" + eps + ", elementwise_affine="
                + (weight != null) + ")";
    }
}
