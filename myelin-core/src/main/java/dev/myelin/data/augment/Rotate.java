package dev.myelin.data.augment;

import dev.myelin.tensor.Rng;

/**
 * Random rotation by an angle θ ~ U(−degrees, degrees) about the image centre, bilinear,
 * background in the corners (torchvision's {@code RandomRotation(degrees)} with bilinear
 * interpolation); positive angles turn counter-clockwise. See {@link Warp} for the formula.
 */
public record Rotate(double degrees, double p) implements Transform {
    public Rotate {
        if (!(degrees >= 0 && degrees <= 180)) {
            throw new IllegalArgumentException("rotate: expected degrees in [0, 180], received " + degrees);
        }
        Transform.probability("rotate", p);
    }

    /** The defaults: ±10 degrees, always (p = 1). */
    public Rotate() {
        this(10, 1.0);
    }

    @Override
    public String name() {
        return "rotate";
    }

    @Override
    public void apply(Image image, Rng rng) {
        rotate(image, Transform.uniform(rng, -degrees, degrees));
    }

    /** Rotates {@code image} in place by {@code degrees} counter-clockwise. */
    public static void rotate(Image image, double degrees) {
        Warp.affine(image, degrees, 1.0);
    }
}
