package dev.myelin.nn;

import dev.myelin.options.Size2;
import dev.myelin.tensor.Pool2dSpec;
import dev.myelin.tensor.Tensor;

/**
 * 2-D max pooling, PyTorch's {@code nn.MaxPool2d}: each output is the maximum of its window
 * (padding counts as −∞). The gradient goes to the position of the maximum.
 * <pre>
 * y[n, c, i, j] = max_{u < kH, v < kW} x[n, c, i·sH − pH + u, j·sW − pW + v]
 * outH = ⌊(H + 2·pH − kH) / sH⌋ + 1
 * </pre>
 * Shape: [N, C, H, W] to [N, C, outH, outW]. Defaults as PyTorch's: stride = kernel, padding 0
 * (at most half the kernel); no dilation or ceil_mode.
 */
public final class MaxPool2d extends Pool2d {
    /** PyTorch's {@code nn.MaxPool2d} options: kernel required; stride null means the kernel, padding 0. */
    public record Options(Size2 kernel, Size2 stride, Size2 padding) {
        public Options {
            stride = stride == null ? kernel : stride;
            check(kernel, stride, padding);
        }

        public static Options of(Size2 kernel) {
            return new Options(kernel, kernel, Size2.of(0));
        }
    }

    public MaxPool2d(Options o) {
        this(new Pool2dSpec(o.kernel().h(), o.kernel().w(), o.stride().h(), o.stride().w(), o.padding().h(),
                o.padding().w(), false));
    }

    public MaxPool2d(Pool2dSpec spec) {
        super(spec);
    }

    /** A square window; stride 0 means the kernel size. */
    public MaxPool2d(int kernel, int stride, int padding) {
        this(Pool2dSpec.of(kernel, stride, padding));
    }

    /** kernel x kernel windows that do not overlap (stride = kernel). */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.maxPool2d(spec);
    }

    @Override
    public String toString() {
        return "MaxPool2d(" + describe() + ")";
    }
}
