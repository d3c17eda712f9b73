package dev.myelin.tensor;

/**
 * A seeded random stream. One seed drives a run: the run's root {@code Rng} hands out
 * independent child streams with {@link #split(String)} (initialization, shuffling, dropout,
 * augmentation), so adding draws to one stream never shifts another, and the same seed gives
 * the same numbers.
 *
 * <p>The generator is SplitMix64 (Steele, Lea and Flood 2014, "Fast splittable pseudorandom
 * number generators"), the one behind {@code java.util.SplittableRandom(seed)}, and it draws
 * exactly the same numbers as that class. Its whole state is one counter,
 * {@code seed + n·γ} after {@code n} draws, so a checkpoint saves a stream's position as one
 * value ({@link #state()}) and a resumed run continues it ({@link #setState(long)}), which
 * {@code SplittableRandom} cannot do.
 */
public final class Rng {
    /** SplitMix64's increment γ, the odd 64-bit golden ratio (as in {@code SplittableRandom}). */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    private final long seed;
    private long state;

    public Rng(long seed) {
        this.seed = seed;
        this.state = seed;
    }

    /** The stream's position: the counter the next draw advances (the seed before any draw). */
    public long state() {
        return state;
    }

    /** Moves the stream to a position {@link #state()} returned, e.g. when a run resumes. */
    public void setState(long state) {
        this.state = state;
    }

    /** The next 64 random bits: the counter advances by γ and is mixed by MurmurHash3's finalizer variant. */
    private long next64() {
        long z = state += GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The next 32 random bits, mixed as {@code SplittableRandom.nextInt()} mixes them. */
    private int next32() {
        long z = state += GAMMA;
        z = (z ^ (z >>> 33)) * 0x62A9D9ED799705F5L;
        return (int) (((z ^ (z >>> 28)) * 0xCB24D0A5C88C35B3L) >>> 32);
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
        return (next64() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("Rng.nextInt: expected a bound >= 1, got " + bound);
        }
        int r = next32();
        int m = bound - 1;
        if ((bound & m) == 0) {
            return r & m; // a power of two: the low bits
        }
        // Rejection keeps the result unbiased: redraw when r falls in the last, partial range.
        for (int u = r >>> 1; u + m - (r = u % bound) < 0; u = next32() >>> 1) {
            // redraw
        }
        return r;
    }

    /** A 64-bit value, e.g. to seed a worker's own stream. */
    public long nextLong() {
        return next64();
    }

    /** Standard normal, by the Box-Muller transform (one value per call). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1], so log is finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Fisher-Yates shuffle of {@code a} in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
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
