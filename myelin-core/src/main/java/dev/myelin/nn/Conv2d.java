package dev.myelin.nn;

import dev.myelin.options.Check;
import dev.myelin.options.Size2;
import dev.myelin.kernel.ConvGeometry;
import dev.myelin.nn.init.Init;
import dev.myelin.nn.init.Initializer;
import dev.myelin.tensor.Conv2dSpec;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * A 2-D convolution layer, PyTorch's {@code nn.Conv2d} (LeCun et al., "Gradient-based learning
 * applied to document recognition", 1998), computed as a cross-correlation:
 * <pre>
 * y[n, o, i, j] = b[o] + Σ_{c ∈ group(o)} Σ_{u,v} w[o, c, u, v] · x[n, c, i·sH − pH + u·dH, j·sW − pW + v·dW]
 * outH = ⌊(H + 2·pH − dH·(kH − 1) − 1) / sH⌋ + 1
 * </pre>
 * (zero padding; with {@code groups} g, output channel o sees only the C/g input channels of its
 * group). Shape: input [N, C, H, W], output [N, O, outH, outW]; weight [O, C/g, kH, kW], bias
 * [O]; state-dict keys {@code weight}, {@code bias}. Initialization as PyTorch's: Kaiming
 * uniform with a = √5 (W ~ U(−1/√fan_in, 1/√fan_in)) and b ~ U(−1/√fan_in, 1/√fan_in), with
 * fan_in = C/g · kH · kW. Defaults: stride 1, padding 0, dilation 1, groups 1, bias on.
 */
public final class Conv2d extends Module {
    /**
     * PyTorch's {@code nn.Conv2d} keyword arguments, the input channels aside (they follow from
     * the input): {@code out} channels and {@code kernel} are required; defaults stride 1,
     * padding 0, dilation 1, groups 1, bias true ({@link #of}); {@code init}, the weight's
     * initialization, is not PyTorch's argument: null keeps PyTorch's (Kaiming uniform, a = √5).
     */
    public record Options(int out, Size2 kernel, Size2 stride, Size2 padding, Size2 dilation, int groups,
                          boolean bias, Initializer init) {
        public Options {
            Check.atLeast("out", out, 1);
            Check.present("kernel", kernel, "an integer or [height, width]").atLeast("kernel", 1);
            Check.present("stride", stride, "an integer or [height, width]").atLeast("stride", 1);
            Check.present("padding", padding, "an integer or [height, width]").atLeast("padding", 0);
            Check.present("dilation", dilation, "an integer or [height, width]").atLeast("dilation", 1);
            Check.atLeast("groups", groups, 1);
        }

        public static Options of(int out, Size2 kernel) {
            return new Options(out, kernel, Size2.of(1), Size2.of(0), Size2.of(1), 1, true, null);
        }
    }

    private final int in;
    private final int out;
    private final int kernelH;
    private final int kernelW;
    private final Conv2dSpec spec;
    private final Tensor weight;
    private final Tensor bias;

    /**
     * A convolution of {@code in} input channels with these options: PyTorch's initialization
     * from {@code rng}, then {@code o.init()} (when set) from {@code rng.split("init")}.
     */
    public Conv2d(int in, Options o, Rng rng) {
        this(in, o.out(), o.kernel().h(), o.kernel().w(), new Conv2dSpec(o.stride().h(), o.stride().w(),
                o.padding().h(), o.padding().w(), o.dilation().h(), o.dilation().w(), o.groups()), o.bias(), rng);
        if (o.init() != null) {
            o.init().apply(weight, rng.split("init"));
        }
    }

    public Conv2d(int in, int out, int kernelH, int kernelW, Conv2dSpec spec, boolean bias, Rng rng) {
        if (in < 1 || out < 1 || kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException("Conv2d: expected in and out channels and kernel sizes >= 1, got in " + in
                    + ", out " + out + ", kernel " + kernelH + "x" + kernelW);
        }
        if (in % spec.groups() != 0 || out % spec.groups() != 0) {
            throw new IllegalArgumentException("Conv2d(" + in + ", " + out + "): groups=" + spec.groups()
                    + " must divide both the in channels and the out channels");
        }
        this.in = in;
        this.out = out;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.spec = spec;
        Tensor w = Tensor.zeros(out, in / spec.groups(), kernelH, kernelW);
        this.weight = param("weight", Init.kaimingUniform(w, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", rng));
        float bound = (float) (1.0 / Math.sqrt(Init.fans(w)[0]));
        this.bias = bias ? param("bias", Tensor.uniform(rng, -bound, bound, out)) : null;
    }

    /** A square kernel with the given stride and padding, dilation 1, one group, with bias. */
    public Conv2d(int in, int out, int kernel, int stride, int padding, Rng rng) {
        this(in, out, kernel, kernel, Conv2dSpec.of(stride, padding, 1, 1), true, rng);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return bias;
    }

    public Conv2dSpec spec() {
        return spec;
    }

    public int inChannels() {
        return in;
    }

    public int outChannels() {
        return out;
    }

    /** The output shape [O, outH, outW] for one sample [C, H, W], or an error saying what does not fit. */
    public int[] outputShape(int[] sample) {
        if (sample.length != 3) {
            throw new IllegalArgumentException(this + ": expected samples [C, H, W] (an image), got "
                    + Arrays.toString(sample) + "; a convolution cannot follow a flattened or 1-D input");
        }
        try {
            ConvGeometry g = spec.geometry(new int[] {1, sample[0], sample[1], sample[2]}, weight.shape());
            return new int[] {out, g.outH(), g.outW()};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + " on samples " + Arrays.toString(sample) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(1) != in) {
            throw new IllegalArgumentException(this + ": expected input [N, " + in + ", H, W], got "
                    + Arrays.toString(x.shape()) + "; check the previous layer's output channels");
        }
        return Tensor.conv2d(x, weight, bias, spec);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Conv2d(").append(in).append(", ").append(out)
                .append(", kernel_size=").append(kernelH).append('x').append(kernelW);
        s.append(", stride=").append(spec.strideH()).append('x').append(spec.strideW());
        s.append(", padding=").append(spec.padH()).append('x').append(spec.padW());
        if (spec.dilationH() != 1 || spec.dilationW() != 1) {
            s.append(", dilation=").append(spec.dilationH()).append('x').append(spec.dilationW());
        }
        if (spec.groups() != 1) {
            s.append(", groups=").append(spec.groups());
        }
        return s.append(", bias=").append(bias != null).append(')').toString();
    }
}
