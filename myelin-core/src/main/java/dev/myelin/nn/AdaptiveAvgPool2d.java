package dev.myelin.nn;

import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * Adaptive 2-D average pooling, PyTorch's {@code nn.AdaptiveAvgPool2d}: averages windows
 * chosen so that the output has a fixed size whatever the input's,
 * <pre>
 * y[n, c, i, j] = mean of x[n, c, ⌊i·H/outH⌋ : ⌈(i+1)·H/outH⌉, ⌊j·W/outW⌋ : ⌈(j+1)·W/outW⌉]
 * </pre>
 * With output 1x1 it is global average pooling (Lin, Chen and Yan, "Network In Network", 2014),
 * the pooling before a ResNet's classifier. Shape: [N, C, H, W] to [N, C, outH, outW].
 */
public final class AdaptiveAvgPool2d extends Module {
    private final int outH;
    private final int outW;

    /** The output size [height, width] (required). */
    public record Options(dev.myelin.options.Size2 output) {
        public Options {
            dev.myelin.options.Check.present("output", output, "an integer or [height, width]").atLeast("output", 1);
        }

        public static Options of(dev.myelin.options.Size2 output) {
            return new Options(output);
        }
    }

    public AdaptiveAvgPool2d(Options o) {
        this(o.output().h(), o.output().w());
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: expected an output size >= 1x1, got " + outH + "x" + outW);
        }
        this.outH = outH;
        this.outW = outW;
    }

    /** Global average pooling: output 1x1. */
    public static AdaptiveAvgPool2d global() {
        return new AdaptiveAvgPool2d(1, 1);
    }

    /** The output shape [C, outH, outW] for one sample [C, H, W]. */
    public int[] outputShape(int[] sample) {
        if (sample.length != 3) {
            throw new IllegalArgumentException(this + ": expected samples [C, H, W] (an image), got "
                    + Arrays.toString(sample));
        }
        return new int[] {sample[0], outH, outW};
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.adaptiveAvgPool2d(outH, outW);
    }

    @Override
    public String toString() {
        return "AdaptiveAvgPool2d(output_size=" + outH + "x" + outW + ")";
    }
}
