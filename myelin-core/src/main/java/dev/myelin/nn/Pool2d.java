package dev.myelin.nn;

import dev.myelin.options.Check;
import dev.myelin.options.Size2;
import dev.myelin.kernel.PoolWindows;
import dev.myelin.tensor.Pool2dSpec;
import java.util.Arrays;

/**
 * What the windowed pooling layers share (PyTorch's {@code _MaxPoolNd} / {@code _AvgPoolNd}):
 * the window, and the output shape it gives a sample, {@code out = ⌊(size + 2·padding − kernel)
 * / stride⌋ + 1} per axis.
 */
abstract class Pool2d extends Module {
    /** Checks a pooling window: kernel >= 1, stride >= 1, padding at most half the kernel (PyTorch's rule). */
    static void check(Size2 kernel, Size2 stride, Size2 padding) {
        Check.present("kernel", kernel, "an integer or [height, width]").atLeast("kernel", 1);
        Check.present("stride", stride, "an integer or [height, width]").atLeast("stride", 1);
        Check.present("padding", padding, "an integer or [height, width]").atLeast("padding", 0);
        Check.that(padding.h() <= kernel.h() / 2 && padding.w() <= kernel.w() / 2, "padding",
                "at most half the kernel (" + kernel.h() / 2 + "x" + kernel.w() / 2 + ")", padding);
    }

    final Pool2dSpec spec;

    Pool2d(Pool2dSpec spec) {
        this.spec = spec;
    }

    public Pool2dSpec spec() {
        return spec;
    }

    /** The output shape [C, outH, outW] for one sample [C, H, W], or an error naming the layer. */
    public int[] outputShape(int[] sample) {
        if (sample.length != 3) {
            throw new IllegalArgumentException(this + ": expected samples [C, H, W] (an image), got "
                    + Arrays.toString(sample) + "; pooling cannot follow a flattened or 1-D input");
        }
        try {
            int h = PoolWindows.sliding(sample[1], spec.kernelH(), spec.strideH(), spec.padH(), true).count();
            int w = PoolWindows.sliding(sample[2], spec.kernelW(), spec.strideW(), spec.padW(), true).count();
            return new int[] {sample[0], h, w};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + " on samples " + Arrays.toString(sample) + ": " + e.getMessage(), e);
        }
    }

    /** {@code kernel_size=..., stride=..., padding=...} for toString. */
    String describe() {
        return "kernel_size=" + spec.kernelH() + "x" + spec.kernelW() + ", stride=" + spec.strideH() + "x" + spec.strideW()
                + ", padding=" + spec.padH() + "x" + spec.padW();
    }
}
