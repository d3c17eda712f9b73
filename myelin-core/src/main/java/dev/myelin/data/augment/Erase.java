package dev.myelin.data.augment;

import dev.myelin.tensor.Rng;

/**
 * Random erasing (occlusion), Zhong et al. 2017, "Random Erasing Data Augmentation"
 * (arXiv:1708.04896), with torchvision's {@code RandomErasing} defaults: a rectangle covering a
 * fraction of the image area a ~ U(scaleMin, scaleMax) with aspect ratio r, log r ~
 * U(log ratioMin, log ratioMax), is filled with {@code value} in every channel, or with N(0, 1)
 * noise when {@code value} is null (the paper's random fill):
 * <pre>
 * h = round(√(a·H·W·r)),  w = round(√(a·H·W / r)),   retried up to 10 times until h &lt; H and w &lt; W
 * top ~ U{0..H − h},  left ~ U{0..W − w}
 * </pre>
 * The value is in the units of the standardized data (torchvision erases after
 * {@code Normalize}, so its default 0 is the mean pixel too).
 */
public record Erase(double p, double scaleMin, double scaleMax, double ratioMin, double ratioMax, Double value)
        implements Transform {
    private static final int ATTEMPTS = 10;

    public Erase {
        Transform.probability("erase", p);
        if (!(scaleMin > 0 && scaleMax >= scaleMin && scaleMax < 1)) {
            throw new IllegalArgumentException("erase: expected a scale range 0 < min <= max < 1 (fractions of the"
                    + " image area), received [" + scaleMin + ", " + scaleMax + "]; e.g. scale: [0.02, 0.33]");
        }
        if (!(ratioMin > 0 && ratioMax >= ratioMin)) {
            throw new IllegalArgumentException("erase: expected an aspect ratio range 0 < min <= max, received ["
                    + ratioMin + ", " + ratioMax + "]; e.g. ratio: [0.3, 3.3]");
        }
    }

    /** torchvision's defaults: p 0.5, scale [0.02, 0.33], ratio [0.3, 3.3], value 0. */
    public Erase() {
        this(0.5, 0.02, 0.33, 0.3, 3.3, 0.0);
    }

    @Override
    public String name() {
        return "erase";
    }

    @Override
    public void apply(Image image, Rng rng) {
        int hh = image.height();
        int ww = image.width();
        double area = (double) hh * ww;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double a = area * Transform.uniform(rng, scaleMin, scaleMax);
            double r = Math.exp(Transform.uniform(rng, Math.log(ratioMin), Math.log(ratioMax)));
            int h = (int) Math.round(Math.sqrt(a * r));
            int w = (int) Math.round(Math.sqrt(a / r));
            if (h >= 1 && w >= 1 && h < hh && w < ww) {
                fill(image, rng.nextInt(hh - h + 1), rng.nextInt(ww - w + 1), h, w, rng);
                return;
            }
        }
    }

    private void fill(Image image, int top, int left, int h, int w, Rng rng) {
        for (int c = 0; c < image.channels(); c++) {
            for (int y = top; y < top + h; y++) {
                for (int x = left; x < left + w; x++) {
                    image.set(c, y, x, value == null ? (float) rng.nextGaussian() : value.floatValue());
                }
            }
        }
    }
}
