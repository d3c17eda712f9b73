package dev.myelin.options;

/**
 * The range checks of {@code Options} records, called from their compact constructors so that a
 * refused value always names its option ({@link OptionException}). Keys are the snake_case names
 * a config uses for the record's components.
 */
public final class Check {
    private Check() {
    }

    /** {@code v > 0}. */
    public static double positive(String key, double v) {
        return require(key, v > 0, "a number > 0", v);
    }

    /** {@code v >= 0}. */
    public static double nonNegative(String key, double v) {
        return require(key, v >= 0, "a number >= 0", v);
    }

    /** {@code 0 <= v <= 1}. */
    public static double fraction(String key, double v) {
        return require(key, v >= 0 && v <= 1, "a number in [0, 1]", v);
    }

    /** {@code 0 <= v < 1}, e.g. a drop probability or a decay rate. */
    public static double probability(String key, double v) {
        return require(key, v >= 0 && v < 1, "a number in [0, 1)", v);
    }

    /** {@code lo <= v <= hi}. */
    public static double between(String key, double v, double lo, double hi) {
        return require(key, v >= lo && v <= hi, "a number in [" + plain(lo) + ", " + plain(hi) + "]", v);
    }

    /** A finite number. */
    public static double finite(String key, double v) {
        return require(key, Double.isFinite(v), "a finite number", v);
    }

    /** An integer {@code >= min}. */
    public static int atLeast(String key, int v, int min) {
        if (v < min) {
            throw new OptionException(key, min == 1 ? "a positive integer" : "an integer >= " + min, Integer.toString(v));
        }
        return v;
    }

    /** A value that is present (not null). */
    public static <T> T present(String key, T v, String expected) {
        if (v == null) {
            throw new OptionException(key, expected, "nothing");
        }
        return v;
    }

    /** A condition over one or more options: fails with {@code expected} and {@code found} when false. */
    public static void that(boolean ok, String key, String expected, Object found) {
        if (!ok) {
            throw new OptionException(key, expected, String.valueOf(found));
        }
    }

    private static double require(String key, boolean ok, String expected, double v) {
        if (!ok) {
            throw new OptionException(key, expected, Double.toString(v));
        }
        return v;
    }

    /** A bound as written: {@code 1} rather than {@code 1.0}. */
    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
