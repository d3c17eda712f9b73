package dev.myelin.search;

import dev.myelin.tensor.Rng;
import java.util.List;

/**
 * Where one hyperparameter's values come from. The lecture's advice ("Training DNNs: Tricks",
 * hyperparameter search; Bergstra &amp; Bengio 2012, "Random Search for Hyper-Parameter
 * Optimization"): sample rather than grid, and sample the learning rate and regularization
 * strengths on a log scale, so that each decade gets the same share of the trials.
 */
public sealed interface Distribution {
    /** One value drawn from {@code rng}. */
    Object sample(Rng rng);

    /** The values a grid search enumerates. */
    List<Object> grid();

    /** True when the values are best seen on a log axis. */
    default boolean log() {
        return false;
    }

    /**
     * One of the given values, each equally likely; a grid search takes them all ({@code grid:}
     * in a config is the same list).
     */
    record Choice(List<Object> values) implements Distribution {
        public Choice {
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("expected at least one value to choose from, found none");
            }
            values = List.copyOf(values);
        }

        @Override
        public Object sample(Rng rng) {
            return values.get(rng.nextInt(values.size()));
        }

        @Override
        public List<Object> grid() {
            return values;
        }

        @Override
        public boolean log() {
            return values.size() > 2 && values.stream().allMatch(v -> v instanceof Number n && n.doubleValue() > 0)
                    && max(values) / min(values) >= 100;
        }

        private static double max(List<Object> v) {
            return v.stream().mapToDouble(x -> ((Number) x).doubleValue()).max().orElse(1);
        }

        private static double min(List<Object> v) {
            return v.stream().mapToDouble(x -> ((Number) x).doubleValue()).min().orElse(1);
        }
    }

    /** A real number uniform in [lo, hi). */
    record Uniform(double lo, double hi) implements Distribution {
        public Uniform {
            if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo < hi)) {
                throw new IllegalArgumentException("expected finite bounds [a, b] with a < b, found [" + lo + ", " + hi
                        + "]");
            }
        }

        @Override
        public Object sample(Rng rng) {
            return lo + (hi - lo) * rng.nextDouble();
        }

        @Override
        public List<Object> grid() {
            throw new IllegalArgumentException("a grid search needs the values: write grid: [...] instead of uniform");
        }
    }

    /** A positive real number whose logarithm is uniform: exp(U(ln lo, ln hi)). */
    record LogUniform(double lo, double hi) implements Distribution {
        public LogUniform {
            if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo > 0 && lo < hi)) {
                throw new IllegalArgumentException("expected bounds [a, b] with 0 < a < b (a log scale has no 0), found ["
                        + lo + ", " + hi + "]");
            }
        }

        @Override
        public Object sample(Rng rng) {
            return Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rng.nextDouble());
        }

        @Override
        public List<Object> grid() {
            throw new IllegalArgumentException("a grid search needs the values: write grid: [...] instead of"
                    + " log_uniform");
        }

        @Override
        public boolean log() {
            return true;
        }
    }

    /** An integer uniform in [lo, hi], both included. */
    record IntUniform(int lo, int hi) implements Distribution {
        public IntUniform {
            if (lo > hi) {
                throw new IllegalArgumentException("expected integer bounds [a, b] with a <= b, found [" + lo + ", " + hi
                        + "]");
            }
        }

        @Override
        public Object sample(Rng rng) {
            return lo + rng.nextInt(hi - lo + 1);
        }

        @Override
        public List<Object> grid() {
            if ((long) hi - lo >= 100) {
                throw new IllegalArgumentException("a grid over int: [" + lo + ", " + hi + "] has more than 100 values;"
                        + " write grid: [...] with the values to try");
            }
            return java.util.stream.IntStream.rangeClosed(lo, hi).boxed().map(i -> (Object) i).toList();
        }
    }
}
