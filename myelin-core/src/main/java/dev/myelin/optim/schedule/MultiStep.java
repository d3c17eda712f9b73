package dev.myelin.optim.schedule;

import java.util.List;

/**
 * Decay at given milestones (PyTorch's {@code MultiStepLR}; the "piecewise constant" schedule of
 * Huang, "Training Deep Neural Networks", "Learning Rate Scheduling", as He et al. train ResNets:
 * ÷10 at epochs 100 and 150):
 * <pre>
 * η(t) = η₀ · γ^(number of milestones m with m &lt;= t)
 * </pre>
 * Counted in epochs by default.
 *
 * @param milestones the steps or epochs where the rate drops, increasing, each &gt;= 1
 * @param gamma      the factor at each milestone, in (0, 1] (PyTorch's default 0.1)
 */
public record MultiStep(List<Long> milestones, double gamma) implements LrSchedule {
    public MultiStep {
        milestones = milestones == null ? List.of() : List.copyOf(milestones);
        LrSchedule.require(!milestones.isEmpty(), "multistep", "milestones", "a non-empty list, e.g. [30, 60]",
                milestones);
        for (int i = 0; i < milestones.size(); i++) {
            LrSchedule.require(milestones.get(i) >= 1 && (i == 0 || milestones.get(i) > milestones.get(i - 1)),
                    "multistep", "milestones", "increasing steps >= 1, e.g. [30, 60]", milestones);
        }
        LrSchedule.require(gamma > 0 && gamma <= 1, "multistep", "gamma", "in (0, 1]", gamma);
    }

    /** PyTorch's gamma 0.1. */
    public static MultiStep of(List<Long> milestones) {
        return new MultiStep(milestones, 0.1);
    }

    @Override
    public double at(double baseLr, long t) {
        int passed = 0;
        for (long m : milestones) {
            if (m <= t) {
                passed++;
            }
        }
        return baseLr * Math.pow(gamma, passed);
    }
}
