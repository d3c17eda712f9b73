package dev.myelin.optim.schedule;

import java.util.List;

/**
 * Schedules multiplied together (PyTorch's {@code ChainedScheduler}): each contributes its
 * factor η_i(t)/η₀, and
 * <pre>
 * η(t) = η₀ · Π_i (η_i(t) / η₀)
 * </pre>
 * e.g. a linear warm-up factor times an exponential decay. It equals PyTorch's chain for the
 * multiplicative schedulers (LinearLR, ExponentialLR, StepLR, MultiStepLR), which each scale
 * the current rate by their own ratio. Counted in the first schedule's unit by default.
 *
 * @param schedules at least one; none may depend on an absolute rate (OneCycle with max_lr,
 *                  cosine's eta_min: their factors are not relative to η₀)
 */
public record Chained(List<LrSchedule> schedules) implements LrSchedule {
    public Chained {
        schedules = schedules == null ? List.of() : List.copyOf(schedules);
        LrSchedule.require(!schedules.isEmpty(), "chained", "schedules", "at least one schedule", schedules);
    }

    @Override
    public double at(double baseLr, long t) {
        double lr = baseLr;
        for (LrSchedule s : schedules) {
            lr *= s.at(1.0, t);
        }
        return lr;
    }

    @Override
    public Unit defaultUnit() {
        return schedules.get(0).defaultUnit();
    }
}
