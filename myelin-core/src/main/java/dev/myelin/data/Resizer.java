package dev.myelin.data;

import java.util.Arrays;

/**
 * Resizes images to a fixed height and width by bilinear interpolation, so that data of one size
 * can go through a model pretrained on another: "we should resize our data so that the number of
 * features in the resized data is the same as the number of perceptrons on the input layer of the
 * pretrained model" (Huang, "Training Deep Neural Networks", transfer learning).
 *
 * <p>PyTorch's {@code F.interpolate(x, size=(h, w), mode="bilinear", align_corners=False)}: output
 * pixel {@code i} samples the input at {@code s = (i + 0.5)·in/out − 0.5} (clamped at 0), between
 * rows {@code ⌊s⌋} and {@code ⌊s⌋ + 1} (the last row repeats at the edge) with weights
 * {@code 1 − (s − ⌊s⌋)} and {@code s − ⌊s⌋}; the same along columns. No antialiasing, as
 * {@code F.interpolate}'s default: shrinking by more than 2x skips pixels. Each channel is
 * resized alone. It has no statistics to fit; it is a {@link Preprocessor} so that a saved model
 * resizes its inputs itself.
 */
public final class Resizer implements Preprocessor {
    private final int height;
    private final int width;

    private Resizer(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("resize: expected a height and width >= 1, received " + height + "x"
                    + width);
        }
        this.height = height;
        this.width = width;
    }

    /** A resize to {@code height x width}. */
    public static Resizer to(int height, int width) {
        return new Resizer(height, width);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    @Override
    public String describe() {
        return "resize(" + height + "x" + width + ")";
    }

    /** {@code [C, H, W]} becomes {@code [C, height, width]}. */
    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length != 3) {
            throw new DataException("resize: expected images, samples of shape [channels, height, width], found"
                    + " samples of shape " + Arrays.toString(inputShape) + "; resize is for image data only");
        }
        return new int[] {inputShape[0], height, width};
    }

    @Override
    public ArrayDataset apply(Dataset data) {
        int[] in = data.featureShape();
        int[] out = outputShape(in);
        int n = data.size();
        int d = data.featureSize();
        int od = ArrayDataset.product(out);
        float[] sample = new float[d];
        float[] x = new float[Math.multiplyExact(n, od)];
        float[] y = new float[n];
        Axis rows = new Axis(in[1], height);
        Axis cols = new Axis(in[2], width);
        for (int i = 0; i < n; i++) {
            data.features(i, sample, 0);
            for (int c = 0; c < in[0]; c++) {
                resample(sample, c * in[1] * in[2], in[2], rows, cols, x, i * od + c * height * width);
            }
            y[i] = data.label(i);
        }
        return new ArrayDataset(x, out, y, data.numClasses());
    }

    /** One channel: each output pixel from its four neighbours in the input. */
    private static void resample(float[] src, int off, int inWidth, Axis rows, Axis cols, float[] dst, int dOff) {
        for (int r = 0; r < rows.lo.length; r++) {
            int top = off + rows.lo[r] * inWidth;
            int bottom = off + rows.hi[r] * inWidth;
            float wt = rows.wLo[r];
            float wb = rows.wHi[r];
            for (int c = 0; c < cols.lo.length; c++) {
                float t = cols.wLo[c] * src[top + cols.lo[c]] + cols.wHi[c] * src[top + cols.hi[c]];
                float b = cols.wLo[c] * src[bottom + cols.lo[c]] + cols.wHi[c] * src[bottom + cols.hi[c]];
                dst[dOff + r * cols.lo.length + c] = wt * t + wb * b;
            }
        }
    }

    /** The two source indices and weights of each output index along one axis (PyTorch's align_corners=False). */
    private static final class Axis {
        final int[] lo;
        final int[] hi;
        final float[] wLo;
        final float[] wHi;

        Axis(int in, int out) {
            lo = new int[out];
            hi = new int[out];
            wLo = new float[out];
            wHi = new float[out];
            float scale = (float) in / out;
            for (int i = 0; i < out; i++) {
                float s = Math.max(scale * (i + 0.5f) - 0.5f, 0f);
                int l = Math.min((int) s, in - 1);
                lo[i] = l;
                hi[i] = l < in - 1 ? l + 1 : l;
                wHi[i] = s - l;
                wLo[i] = 1f - wHi[i];
            }
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
