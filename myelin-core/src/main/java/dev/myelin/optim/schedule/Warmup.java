package dev.myelin.optim.schedule;

/**
 * Linear warm-up before any other schedule (Goyal et al. 2017, "Accurate, Large Minibatch SGD";
 * PyTorch's {@code SequentialLR([LinearLR(start_factor, 1.0, W), after], milestones=[W])}):
 * <pre>
 * η(t) = η₀ · (f₀ + (1 − f₀) · t / W)      t &lt; W
 * η(t) = after(η₀, t − W)                  t ≥ W
 * </pre>
 * The rate ramps from f₀·η₀ to η₀ over W steps or epochs (in the unit of {@code after}), then
 * the wrapped schedule starts from its own t = 0.
 *
 * @param steps W, the warm-up length, &gt;= 1
 * @param startFactor f₀, in [0, 1]
 * @param after the schedule that follows
 */
public record Warmup(long steps, double startFactor, LrSchedule after) implements LrSchedule {
    /**
     * A warm-up as a config writes it: {@code length} steps or epochs (0: none) from
     * {@code start_factor}·η₀. Defaults: no warm-up, start factor 0.1.
     */
    public record Options(long length, double startFactor) {
        public Options {
            LrSchedule.require(length >= 0, "warmup", "length", ">= 0", length);
            LrSchedule.require(startFactor >= 0 && startFactor <= 1, "warmup", "start_factor", "in [0, 1]", startFactor);
        }

        public static Options defaults() {
            return new Options(0, 0.1);
        }
    }

    public Warmup {
        LrSchedule.require(steps >= 1, "warmup", "steps", ">= 1", steps);
        LrSchedule.require(startFactor >= 0 && startFactor <= 1, "warmup", "start_factor", "in [0, 1]", startFactor);
        LrSchedule.require(after != null, "warmup", "after", "a schedule", "none");
    }

    @Override
    public double at(double baseLr, long t) {
        if (t < steps) {
            return baseLr * (startFactor + (1 - startFactor) * t / steps);
        }
        return after.at(baseLr, t - steps);
    }

    @Override
    public Unit defaultUnit() {
        return after.defaultUnit();
    }
}
