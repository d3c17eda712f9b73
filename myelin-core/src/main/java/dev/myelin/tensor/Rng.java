package dev.myelin.tensor;

import java.util.SplittableRandom;

/**
 * A seeded random stream. One seed drives a run: the run's root {@code Rng} hands out
 * independent child streams with {@link #split(String)} (initialization, shuffling, dropout,
 * augmentation), so adding draws to one stream never shifts another, and the same seed gives
 * the same numbers.
 */
public final class Rng {
    private final long seed;
    private final SplittableRandom random;

    public Rng(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** The seed this stream started from. */
    public long seed() {
        return seed;
    }

    /**
     * An independent child stream named {@code purpose}; the same parent seed and name always
     * give the same child, whatever was drawn from the parent before.
     */
    public Rng split(String purpose) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < purpose.length(); i++) {
            h = (h ^ purpose.charAt(i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return new Rng(h);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A 64-bit value, e.g. to seed a worker's own stream. */
    public long nextLong() {
        return random.nextLong();
    }

    /** Standard normal, by the Box-Muller transform (one value per call). */
    public double nextGaussian() {
        double u1 = 1.0 - random.nextDouble(); // (0, 1], so log is finite
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Fisher-Yates shuffle of {@code a} in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A random permutation of 0..n-1. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }
}
