package dev.myelin.nn;

import dev.myelin.tensor.Tensor;
import java.util.function.UnaryOperator;

/**
 * Activation layers without parameters, PyTorch's names and defaults. Each is a one-line
 * {@link Module} over a fused tensor op ({@link Tensor#relu}, {@link Tensor#leakyRelu},
 * {@link Tensor#elu}, {@link Tensor#gelu}, ...) or a composition of differentiable ones (SiLU,
 * Mish, hard sigmoid/tanh, CReLU). The ones with parameters are {@link PRelu} and
 * {@link Maxout}. Lecture: Fleuret, "EE-559 Deep Learning, 6. Going deeper", Huang, "Training Deep Neural Networks",
 * "Deep Feedforward Networks" (Strojové učení II) ("Rectifiers", "Some popular nonsaturating activation functions").
 */
public class Activation extends Module {
    /** Klambauer et al.'s α (PyTorch's value). */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    /** Klambauer et al.'s λ (PyTorch's value). */
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    private final String name;
    private final UnaryOperator<Tensor> f;

    protected Activation(String name, UnaryOperator<Tensor> f) {
        this.name = name;
        this.f = f;
    }

    @Override
    public Tensor forward(Tensor x) {
        return f.apply(x);
    }

    @Override
    public String toString() {
        return name;
    }

    /** ReLU(x) = max(0, x) (Nair &amp; Hinton 2010). */
    /** LeakyReLU's slope for x &lt; 0; PyTorch's default 0.01. */
    public record LeakyReluOptions(double negativeSlope) {
        public static LeakyReluOptions defaults() {
            return new LeakyReluOptions(0.01);
        }
    }

    /** ELU's α; PyTorch's default 1. */
    public record EluOptions(double alpha) {
        public static EluOptions defaults() {
            return new EluOptions(1.0);
        }
    }

    /** GELU's form: exact ({@code none}, PyTorch's default) or the tanh approximation. */
    public record GeluOptions(Approximate approximate) {
        /** The two forms of GELU. */
        public enum Approximate { NONE, TANH }

        public GeluOptions {
            dev.myelin.options.Check.present("approximate", approximate, "none or tanh");
        }

        public static GeluOptions defaults() {
            return new GeluOptions(Approximate.NONE);
        }
    }

    /** Softplus's β &gt; 0 and linear threshold; PyTorch's defaults 1 and 20. */
    public record SoftplusOptions(double beta, double threshold) {
        public SoftplusOptions {
            dev.myelin.options.Check.positive("beta", beta);
        }

        public static SoftplusOptions defaults() {
            return new SoftplusOptions(1.0, 20.0);
        }
    }

    /** Hardtanh's bounds, min_val &lt; max_val; PyTorch's defaults −1 and 1. */
    public record HardtanhOptions(double minVal, double maxVal) {
        public HardtanhOptions {
            dev.myelin.options.Check.that(maxVal > minVal, "max_val", "a number > min_val (" + minVal + ")", maxVal);
        }

        public static HardtanhOptions defaults() {
            return new HardtanhOptions(-1.0, 1.0);
        }
    }

    /** (Log-)softmax's dimension and temperature T &gt; 0: softmax(x/T); defaults −1 and 1. */
    public record SoftmaxOptions(int dim, double temperature) {
        public SoftmaxOptions {
            dev.myelin.options.Check.positive("temperature", temperature);
        }

        public static SoftmaxOptions defaults() {
            return new SoftmaxOptions(-1, 1.0);
        }
    }

    public static Activation relu() {
        return new Activation("ReLU()", Tensor::relu);
    }

    /** σ(x) = 1/(1 + e^−x). */
    public static Activation sigmoid() {
        return new Activation("Sigmoid()", Tensor::sigmoid);
    }

    /** tanh(x). */
    public static Activation tanh() {
        return new Activation("Tanh()", Tensor::tanh);
    }

    /** softplus(x) = log(1 + e^(βx))/β, linear above the threshold (PyTorch: β = 1, threshold = 20). */
    public static Activation softplus(double beta, double threshold) {
        return new Activation("Softplus(beta=" + beta + ", threshold=" + threshold + ")",
                x -> x.softplus((float) beta, (float) threshold));
    }

    /**
     * LeakyReLU(x) = x for x &gt; 0, negative_slope·x otherwise (Maas et al. 2013; PyTorch's default
     * slope 0.01). The gradient at 0 is the slope, as PyTorch's.
     */
    public static Activation leakyRelu(double negativeSlope) {
        return new Activation("LeakyReLU(negative_slope=" + negativeSlope + ")", x -> x.leakyRelu((float) negativeSlope));
    }

    /** ELU(x) = x for x &gt; 0, α·(eˣ − 1) otherwise (Clevert et al. 2015; PyTorch's default α = 1). */
    public static Activation elu(double alpha) {
        return new Activation("ELU(alpha=" + alpha + ")", x -> x.elu((float) alpha, 1f, 1f));
    }

    /**
     * SELU(x) = λ·x for x &gt; 0, λ·α·(eˣ − 1) otherwise, with λ ≈ 1.0507009873554805 and
     * α ≈ 1.6732632423543772 (Klambauer et al. 2017, "Self-Normalizing Neural Networks"): the
     * constants that make (mean 0, variance 1) a stable fixed point of a layer with LeCun-normal
     * weights, N(0, 1/fan_in).
     */
    public static Activation selu() {
        return new Activation("SELU()", x -> x.elu((float) SELU_ALPHA, (float) SELU_SCALE, 1f));
    }

    /**
     * GELU(x) = x·Φ(x), Φ the standard normal CDF (Hendrycks &amp; Gimpel 2016); with approximate
     * "tanh", 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). PyTorch's default is "none" (exact).
     */
    public static Activation gelu(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("GELU approximate: expected 'none' or 'tanh', got '" + approximate + "'");
        }
        boolean tanh = approximate.equals("tanh");
        return new Activation("GELU(approximate='" + approximate + "')", x -> x.gelu(tanh));
    }

    /** SiLU(x) = x·σ(x), also Swish with β = 1 (Elfwing et al. 2017; Ramachandran et al. 2017). */
    public static Activation silu() {
        return new Activation("SiLU()", x -> x.mul(x.sigmoid()));
    }

    /** Mish(x) = x·tanh(softplus(x)) (Misra 2019). */
    public static Activation mish() {
        return new Activation("Mish()", x -> x.mul(x.softplus(1f, 20f).tanh()));
    }

    /**
     * Hardtanh(x) = min(max(x, min_val), max_val) (PyTorch's defaults −1, 1). The gradient is 1
     * strictly inside (min_val, max_val) and 0 elsewhere, boundaries included, as PyTorch's.
     */
    public static Activation hardtanh(double minVal, double maxVal) {
        if (!(minVal < maxVal)) {
            throw new IllegalArgumentException("Hardtanh: expected min_val < max_val, got min_val " + minVal
                    + " and max_val " + maxVal);
        }
        return new Activation("Hardtanh(min_val=" + minVal + ", max_val=" + maxVal + ")",
                x -> hardtanh(x, (float) minVal, (float) maxVal));
    }

    /** Hardsigmoid(x) = min(max(x/6 + 1/2, 0), 1), PyTorch's (gradient 1/6 strictly inside (−3, 3)). */
    public static Activation hardsigmoid() {
        return new Activation("Hardsigmoid()", x -> hardtanh(x.mul(1f / 6).add(0.5f), 0f, 1f));
    }

    /**
     * CReLU(x) = concat(relu(x), relu(−x)) along dimension 1, the features (Shang et al. 2016,
     * "Understanding and Improving Convolutional Neural Networks via Concatenated Rectified
     * Linear Units"): it doubles the width and keeps the signal's norm, |CReLU(x)| = |x|.
     * Shape: [N, C, ...] to [N, 2C, ...]. The lecture (Fleuret, "EE-559 Deep Learning, 6. Going deeper") interleaves the two
     * halves; concatenating them is the same map up to a fixed permutation of the features.
     */
    public static Activation crelu() {
        return new Activation("CReLU()", x -> {
            if (x.dim() < 2) {
                throw new IllegalArgumentException("CReLU: expected input [N, C, ...] with a feature dimension, got "
                        + java.util.Arrays.toString(x.shape()));
            }
            return Tensor.concat(java.util.List.of(x.relu(), x.neg().relu()), 1);
        });
    }

    /** Clamps into [min, max] with PyTorch's gradient: 1 strictly inside, 0 at and beyond the bounds. */
    static Tensor hardtanh(Tensor x, float min, float max) {
        Tensor inside = x.gt(min).mul(x.lt(max));
        return Tensor.where(inside, x, x.detach().clamp(min, max));
    }

    /**
     * softmax(x/T) along {@code dim}: the temperature T &gt; 1 flattens the distribution, T &lt; 1
     * sharpens it (Hinton et al. 2015); T = 1 is PyTorch's Softmax.
     */
    public static Activation softmax(int dim, double temperature) {
        checkTemperature(temperature);
        return new Activation("Softmax(dim=" + dim + ", temperature=" + temperature + ")",
                x -> (temperature == 1 ? x : x.mul((float) (1 / temperature))).softmax(dim));
    }

    /** log softmax(x/T) along {@code dim}. */
    public static Activation logSoftmax(int dim, double temperature) {
        checkTemperature(temperature);
        return new Activation("LogSoftmax(dim=" + dim + ", temperature=" + temperature + ")",
                x -> (temperature == 1 ? x : x.mul((float) (1 / temperature))).logSoftmax(dim));
    }

    private static void checkTemperature(double t) {
        if (!(t > 0)) {
            throw new IllegalArgumentException("softmax temperature: expected > 0, got " + t);
        }
    }
}
