package dev.myelin.data.augment;

import java.util.Arrays;

/**
 * One image sample being augmented: {@code c x h x w} floats (channel-major, as PyTorch's
 * {@code [C, H, W]}) at an offset of a shared array, plus the background that pixels moved in
 * from outside the image take (a padding, a rotation's corners).
 *
 * <p>The background is per pixel because the data are standardized before they reach the
 * loader: the value of a black pixel is {@code (0 − mean)/std}, which differs per feature for a
 * per-feature standardizer. Null means 0.
 */
public final class Image {
    private final float[] data;
    private final int offset;
    private final int channels;
    private final int height;
    private final int width;
    private final float[] background;

    /**
     * @param background {@code c*h*w} values, or null for zeros
     */
    public Image(float[] data, int offset, int channels, int height, int width, float[] background) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("Image: expected positive sizes [C, H, W], received ["
                    + channels + ", " + height + ", " + width + "]");
        }
        if (offset < 0 || offset + channels * height * width > data.length) {
            throw new IllegalArgumentException("Image: [" + channels + ", " + height + ", " + width + "] at offset "
                    + offset + " does not fit an array of " + data.length + " floats");
        }
        if (background != null && background.length != channels * height * width) {
            throw new IllegalArgumentException("Image: expected a background of " + channels * height * width
                    + " values (one per pixel), received " + background.length);
        }
        this.data = data;
        this.offset = offset;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.background = background;
    }

    /** A standalone image over {@code data} (not copied), zero background. */
    public static Image of(float[] data, int channels, int height, int width) {
        return new Image(data, 0, channels, height, width, null);
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The number of values: {@code c*h*w}. */
    public int size() {
        return channels * height * width;
    }

    /** The position of pixel (c, y, x) relative to the image's start. */
    public int index(int c, int y, int x) {
        return (c * height + y) * width + x;
    }

    public float get(int c, int y, int x) {
        return data[offset + index(c, y, x)];
    }

    public void set(int c, int y, int x, float v) {
        data[offset + index(c, y, x)] = v;
    }

    /** The background value of pixel (c, y, x): what a pixel moved in from outside takes. */
    public float background(int c, int y, int x) {
        return background == null ? 0f : background[index(c, y, x)];
    }

    /** Pixel (c, y, x), or its background value when (y, x) lies outside the image. */
    public float getOrBackground(int c, int y, int x) {
        if (y < 0 || y >= height || x < 0 || x >= width) {
            return background(c, Math.clamp(y, 0, height - 1), Math.clamp(x, 0, width - 1));
        }
        return get(c, y, x);
    }

    /** A copy of the values (to read from while writing the image). */
    public float[] copyValues() {
        return Arrays.copyOfRange(data, offset, offset + size());
    }

    /** Replaces the values with {@code values} ({@link #size()} floats). */
    public void setValues(float[] values) {
        System.arraycopy(values, 0, data, offset, size());
    }
}
