package dev.myelin.nn;

import dev.myelin.nn.init.Init;
import dev.myelin.nn.init.Initializer;
import dev.myelin.options.Check;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;

/**
 * A fully connected layer, y = x·Wᵀ + b.
 *
 * <p>Shape: input [N, in] (or [..., in]), output [N, out]; weight [out, in], bias [out].
 * Initialization as PyTorch's: W ~ U(−1/√in, 1/√in) (Kaiming uniform with a = √5) and
 * b ~ U(−1/√in, 1/√in).
 */
public final class Linear extends Module {
    /**
     * The options of a linear layer, the input features aside (they follow from the input):
     * {@code out} features (required), {@code bias} (default true, as PyTorch), {@code weightNorm}
     * (default false: true trains W as g·v/‖v‖, the layer wrapped in {@link WeightNorm} by whoever
     * builds it; Salimans &amp; Kingma 2016), {@code init}, the weight's initialization (null:
     * PyTorch's, or the builder's model-wide choice) and {@code biasInit}, the bias's (null:
     * PyTorch's; one without fans, e.g. zeros, as Keras's {@code bias_initializer}).
     */
    public record Options(int out, boolean bias, boolean weightNorm, Initializer init, Initializer biasInit) {
        public Options {
            Check.atLeast("out", out, 1);
            Check.that(biasInit == null || !biasInit.needsFans(), "bias_init",
                    "zeros, ones, constant, uniform or normal (a bias has no fan in or out)",
                    biasInit == null ? null : biasInit.initName());
        }

        public static Options of(int out) {
            return new Options(out, true, false, null, null);
        }

        /** These options with {@code init} as the weight's initialization. */
        public Options withInit(Initializer init) {
            return new Options(out, bias, weightNorm, init, biasInit);
        }
    }

    private final int in;
    private final int out;
    private final Tensor bias;

    public Linear(int in, int out, boolean bias, Rng rng) {
        this(initialWeight(in, out, rng), bias ? Tensor.uniform(rng, -bound(in), bound(in), out) : null);
    }

    /**
     * A layer whose parameters are the given tensors (not copied): weight [out, in] and bias
     * [out] or null. For building a layer from computed values (BN folding, loading).
     */
    public Linear(Tensor weight, Tensor bias) {
        if (weight.dim() != 2 || (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0)))) {
            throw new IllegalArgumentException("Linear: expected weight [out, in] and bias [out], got "
                    + java.util.Arrays.toString(weight.shape()) + " and "
                    + (bias == null ? "no bias" : java.util.Arrays.toString(bias.shape())));
        }
        this.out = weight.size(0);
        this.in = weight.size(1);
        param("weight", weight);
        this.bias = bias == null ? null : param("bias", bias);
    }

    private static Tensor initialWeight(int in, int out, Rng rng) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear: expected in and out features >= 1, got " + in + " and " + out);
        }
        return Init.kaimingUniform(Tensor.zeros(out, in), Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", rng);
    }

    private static float bound(int in) {
        return (float) (1.0 / Math.sqrt(in));
    }

    public Linear(int in, int out, Rng rng) {
        this(in, out, true, rng);
    }

    /**
     * A layer of {@code in} input features with these options: PyTorch's initialization from
     * {@code rng}, then {@code o.init()} (when set) from {@code rng.split("init")} and
     * {@code o.biasInit()} from {@code rng.split("bias_init")}. The weight norm option is the
     * builder's ({@link WeightNorm}).
     */
    public Linear(int in, Options o, Rng rng) {
        this(in, o.out(), o.bias(), rng);
        if (o.init() != null) {
            o.init().apply(weight(), rng.split("init"));
        }
        if (o.biasInit() != null && bias != null) {
            o.biasInit().apply(bias, rng.split("bias_init"));
        }
    }

    /** The weight [out, in] as the forward pass uses it (computed, under {@link WeightNorm}). */
    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return bias;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 1 || x.size(-1) != in) {
            throw new IllegalArgumentException("Linear(" + in + ", " + out + "): expected input [N, " + in + "], got "
                    + java.util.Arrays.toString(x.shape()) + "; check the previous layer's output size");
        }
        return Tensor.linear(x, weight(), bias);
    }

    @Override
    public String toString() {
        return "Linear(" + in + ", " + out + ", bias=" + (bias != null) + ")";
    }
}
