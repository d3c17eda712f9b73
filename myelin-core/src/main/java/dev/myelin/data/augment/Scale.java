package dev.myelin.data.augment;

import dev.myelin.tensor.Rng;

/**
 * Random zoom by a factor s ~ U(min, max) about the image centre, bilinear: s &gt; 1 zooms in
 * (the border is cut off), s &lt; 1 zooms out (background around), as the scale part of
 * torchvision's {@code RandomAffine(scale=(min, max))}. See {@link Warp} for the formula.
 */
public record Scale(double min, double max, double p) implements Transform {
    public Scale {
        if (!(min > 0 && max >= min && max <= 10)) {
            throw new IllegalArgumentException("scale: expected 0 < min <= max <= 10, received [" + min + ", " + max
                    + "]; e.g. [0.9, 1.1]");
        }
        Transform.probability("scale", p);
    }

    /** The defaults: a zoom in [0.9, 1.1], always (p = 1). */
    public Scale() {
        this(0.9, 1.1, 1.0);
    }

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public void apply(Image image, Rng rng) {
        zoom(image, Transform.uniform(rng, min, max));
    }

    /** Zooms {@code image} in place by {@code factor} about its centre. */
    public static void zoom(Image image, double factor) {
        Warp.affine(image, 0.0, factor);
    }
}
