package dev.myelin.nn;

import dev.myelin.kernel.PoolWindows;
import dev.myelin.tensor.Pool2dSpec;
import java.util.Arrays;

/** Output shapes and descriptions shared by the pooling layers. */
final class PoolShapes {
    private PoolShapes() {
    }

    /** [C, outH, outW] for a sample [C, H, W], or an error naming the layer. */
    static int[] output(Module layer, Pool2dSpec s, int[] sample) {
        if (sample.length != 3) {
            throw new IllegalArgumentException(layer + ": expected samples [C, H, W] (an image), got "
                    + Arrays.toString(sample) + "; pooling cannot follow a flattened or 1-D input");
        }
        try {
            int h = PoolWindows.sliding(sample[1], s.kernelH(), s.strideH(), s.padH(), true).count();
            int w = PoolWindows.sliding(sample[2], s.kernelW(), s.strideW(), s.padW(), true).count();
            return new int[] {sample[0], h, w};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layer + " on samples " + Arrays.toString(sample) + ": " + e.getMessage(), e);
        }
    }

    static String describe(Pool2dSpec s, boolean average) {
        return "kernel_size=" + s.kernelH() + "x" + s.kernelW() + ", stride=" + s.strideH() + "x" + s.strideW()
                + ", padding=" + s.padH() + "x" + s.padW() + (average ? ", count_include_pad=" + s.countIncludePad() : "");
    }
}
