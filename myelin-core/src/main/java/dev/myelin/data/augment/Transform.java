package dev.myelin.data.augment;

import dev.myelin.tensor.Rng;

/**
 * One random image transform of an {@link Augment} pipeline, applied to a sample with
 * probability {@link #p()}. Implementations are immutable values: all randomness comes from
 * the {@link Rng} handed in, which is the sample's own stream, so the result depends only on the
 * seed, the epoch and the sample index, never on which thread runs it.
 */
public interface Transform {
    /** The probability that a sample is transformed. */
    double p();

    /** Transforms {@code image} in place, drawing its random parameters from {@code rng}. */
    void apply(Image image, Rng rng);

    /** The name used in configs and errors, e.g. {@code flip}. */
    String name();

    /** Checks a probability option. */
    static double probability(String transform, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(transform + ": expected a probability p in [0, 1], received " + p);
        }
        return p;
    }

    /** A uniform draw in [lo, hi]. */
    static double uniform(Rng rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
