package dev.myelin.nn;

import dev.myelin.options.Size2;
import dev.myelin.tensor.Pool2dSpec;
import dev.myelin.tensor.Tensor;

/**
 * 2-D average pooling, PyTorch's {@code nn.AvgPool2d}: each output is the mean of its window.
 * <pre>
 * y[n, c, i, j] = (1/divisor) Σ_{u < kH, v < kW} x[n, c, i·sH − pH + u, j·sW − pW + v]    (zero padding)
 * divisor = kH·kW with count_include_pad (PyTorch's default), else the window's positions inside the input
 * </pre>
 * Shape: [N, C, H, W] to [N, C, outH, outW], outH = ⌊(H + 2·pH − kH) / sH⌋ + 1. Defaults:
 * stride = kernel, padding 0, count_include_pad true; no ceil_mode or divisor_override.
 */
public final class AvgPool2d extends Pool2d {
    /**
     * PyTorch's {@code nn.AvgPool2d} options: kernel required; stride null means the kernel,
     * padding 0, count_include_pad true.
     */
    public record Options(Size2 kernel, Size2 stride, Size2 padding, boolean countIncludePad) {
        public Options {
            stride = stride == null ? kernel : stride;
            check(kernel, stride, padding);
        }

        public static Options of(Size2 kernel) {
            return new Options(kernel, kernel, Size2.of(0), true);
        }
    }

    public AvgPool2d(Options o) {
        this(new Pool2dSpec(o.kernel().h(), o.kernel().w(), o.stride().h(), o.stride().w(), o.padding().h(),
                o.padding().w(), o.countIncludePad()));
    }

    public AvgPool2d(Pool2dSpec spec) {
        super(spec);
    }

    /** A square window; stride 0 means the kernel size. */
    public AvgPool2d(int kernel, int stride, int padding) {
        this(Pool2dSpec.of(kernel, stride, padding));
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.avgPool2d(spec);
    }

    @Override
    public String toString() {
        return "AvgPool2d(" + describe() + ", count_include_pad=" + spec.countIncludePad() + ")";
    }
}
