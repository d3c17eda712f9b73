package dev.myelin.data.augment;

import dev.myelin.tensor.Rng;

/**
 * Horizontal flip (mirror left-right), torchvision's {@code RandomHorizontalFlip(p=0.5)}:
 * <pre>out[c, y, x] = in[c, y, W − 1 − x]</pre>
 * Used on CIFAR-10 by He et al. (2015) with random crops.
 */
public record Flip(double p) implements Transform {
    public Flip {
        Transform.probability("flip", p);
    }

    /** p = 0.5, as torchvision. */
    public Flip() {
        this(0.5);
    }

    @Override
    public String name() {
        return "flip";
    }

    @Override
    public void apply(Image image, Rng rng) {
        flip(image);
    }

    /** Mirrors {@code image} left-right in place. */
    public static void flip(Image image) {
        int w = image.width();
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < image.height(); y++) {
                for (int x = 0; x < w / 2; x++) {
                    float a = image.get(c, y, x);
                    image.set(c, y, x, image.get(c, y, w - 1 - x));
                    image.set(c, y, w - 1 - x, a);
                }
            }
        }
    }
}
