package dev.myelin.nn;

import dev.myelin.nn.init.Init;
import dev.myelin.nn.init.Initializer;
import dev.myelin.options.Check;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * A maxout layer (Goodfellow et al. 2013, "Maxout Networks"; Fleuret, "EE-559 Deep Learning, 6. Going deeper"): each of the
 * {@code out} units is the maximum of {@code pieces} affine functions of the input,
 * <pre>
 * h_m(x) = max_{j=1..k} (x·W_{m,j} + b_{m,j}),   m = 1..out, k = pieces
 * </pre>
 * computed as one linear map to out·k values followed by a max over each unit's k pieces. It
 * can represent ReLU (pieces 0 and x) and |x|, and approximate any convex function.
 *
 * <p>Shape: input [N, in] (or [..., in]), output [N, out]. Parameters: {@code weight}
 * [out·pieces, in] and {@code bias} [out·pieces]; rows m·k .. m·k+k−1 are unit m's pieces.
 * Initialized as {@link Linear} (PyTorch has no maxout layer).
 */
public final class Maxout extends Module {
    /**
     * The options of a maxout layer, the input features aside: {@code out} units (required),
     * {@code pieces} affine maps per unit (default 2, at least 2) and {@code init}, the weight's
     * initialization (null: {@link Linear}'s, or the builder's model-wide choice).
     */
    public record Options(int out, int pieces, Initializer init) {
        public Options {
            Check.atLeast("out", out, 1);
            Check.atLeast("pieces", pieces, 2);
        }

        public static Options of(int out) {
            return new Options(out, 2, null);
        }

        /** These options with {@code init} as the weight's initialization. */
        public Options withInit(Initializer init) {
            return new Options(out, pieces, init);
        }
    }

    private final int in;
    private final int out;
    private final int pieces;
    private final Tensor weight;
    private final Tensor bias;

    /** A layer of {@code in} input features with these options; {@code o.init()} (when set) from {@code rng.split("init")}. */
    public Maxout(int in, Options o, Rng rng) {
        this(in, o.out(), o.pieces(), rng);
        if (o.init() != null) {
            o.init().apply(weight, rng.split("init"));
        }
    }

    public Maxout(int in, int out, int pieces, Rng rng) {
        if (in < 1 || out < 1 || pieces < 2) {
            throw new IllegalArgumentException("Maxout: expected in >= 1, out >= 1 and pieces >= 2, got in " + in
                    + ", out " + out + ", pieces " + pieces);
        }
        this.in = in;
        this.out = out;
        this.pieces = pieces;
        this.weight = param("weight", Init.kaimingUniform(Tensor.zeros(out * pieces, in), Math.sqrt(5),
                Init.FanMode.FAN_IN, "leaky_relu", rng));
        float bound = (float) (1.0 / Math.sqrt(in));
        this.bias = param("bias", Tensor.uniform(rng, -bound, bound, out * pieces));
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    public int outFeatures() {
        return out;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 1 || x.size(-1) != in) {
            throw new IllegalArgumentException(this + ": expected input [N, " + in + "], got " + Arrays.toString(x.shape())
                    + "; check the previous layer's output size");
        }
        Tensor z = Tensor.linear(x, weight, bias);
        int[] shape = Arrays.copyOf(x.shape(), x.dim() + 1);
        shape[x.dim() - 1] = out;
        shape[x.dim()] = pieces;
        return z.reshape(shape).max(-1, false);
    }

    @Override
    public String toString() {
        return "Maxout(" + in + ", " + out + ", pieces=" + pieces + ")";
    }
}
