package dev.myelin.data.augment;

import dev.myelin.tensor.Rng;

/**
 * Random crop after padding, i.e. a random translation: the image is padded by {@code padding}
 * pixels of background on every side and an {@code H x W} window is cut at a uniform random
 * position, torchvision's {@code RandomCrop(size, padding)} with the crop size equal to the
 * image size:
 * <pre>
 * top ~ U{0..2·padding}, left ~ U{0..2·padding}
 * out[c, y, x] = in[c, y + top − padding, x + left − padding]   (background outside)
 * </pre>
 * so the content moves by {@code (padding − top, padding − left)} pixels. He et al. (2015) use
 * padding 4 on CIFAR-10 (32x32).
 */
public record Crop(int padding, double p) implements Transform {
    public Crop {
        if (padding < 0) {
            throw new IllegalArgumentException("crop: expected padding >= 0 pixels, received " + padding);
        }
        Transform.probability("crop", p);
    }

    /** The defaults: padding 4 pixels, always (p = 1), as the CIFAR recipe of He et al. 2016. */
    public Crop() {
        this(4, 1.0);
    }

    @Override
    public String name() {
        return "crop";
    }

    @Override
    public void apply(Image image, Rng rng) {
        int top = rng.nextInt(2 * padding + 1);
        int left = rng.nextInt(2 * padding + 1);
        shift(image, padding - top, padding - left);
    }

    /** Moves the content down by {@code dy} and right by {@code dx} pixels; background fills the gap. */
    public static void shift(Image image, int dy, int dx) {
        float[] src = image.copyValues();
        int h = image.height();
        int w = image.width();
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sy = y - dy;
                    int sx = x - dx;
                    boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                    image.set(c, y, x, inside ? src[image.index(c, sy, sx)] : image.background(c, y, x));
                }
            }
        }
    }
}
