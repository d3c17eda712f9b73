package dev.myelin.nn;

import dev.myelin.kernel.PoolWindows;
import dev.myelin.tensor.Pool2dSpec;
import java.util.Arrays;

/**
 * What the windowed pooling layers share (PyTorch's {@code _MaxPoolNd} / {@code _AvgPoolNd}):
 * the window, and the output shape it gives a sample, {@code out = ⌊(size + 2·padding − kernel)
 * / stride⌋ + 1} per axis.
 */
abstract class Pool2d extends Module {
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
