package dev.myelin.data.augment;

import dev.myelin.tensor.Rng;

/**
 * Additive Gaussian noise, independent per value:
 * <pre>out = in + std · ε,   ε ~ N(0, 1)</pre>
 * In the units of the (standardized) data the loader sees, so {@code std = 0.1} is a tenth of
 * the data's standard deviation.
 */
public record Noise(double std, double p) implements Transform {
    public Noise {
        if (!(std >= 0 && Double.isFinite(std))) {
            throw new IllegalArgumentException("noise: expected std >= 0, received " + std);
        }
        Transform.probability("noise", p);
    }

    /** The defaults: std 0.1 (in standardized units), always (p = 1). */
    public Noise() {
        this(0.1, 1.0);
    }

    @Override
    public String name() {
        return "noise";
    }

    @Override
    public void apply(Image image, Rng rng) {
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < image.height(); y++) {
                for (int x = 0; x < image.width(); x++) {
                    image.set(c, y, x, (float) (image.get(c, y, x) + std * rng.nextGaussian()));
                }
            }
        }
    }
}
