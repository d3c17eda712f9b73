package dev.myelin.optim.schedule;

/**
 * Staircase (step) decay (Sun, "Training DNNs: Tricks", "diminishing LR ... staircase decay";
 * PyTorch's {@code StepLR}):
 * <pre>
 * η(t) = η₀ · γ^⌊t / step_size⌋
 * </pre>
 * The rate stays constant for {@code stepSize} epochs, then drops by γ. Counted in epochs by
 * default; PyTorch's defaults for γ is 0.1.
 *
 * @param stepSize the length of each stair, &gt;= 1
 * @param gamma the factor applied at each stair, in (0, 1]
 */
public record StepDecay(long stepSize, double gamma) implements LrSchedule {
    public StepDecay {
        LrSchedule.require(stepSize >= 1, "step", "step_size", ">= 1", stepSize);
        LrSchedule.require(gamma > 0 && gamma <= 1, "step", "gamma", "in (0, 1]", gamma);
    }

    /** PyTorch's gamma 0.1. */
    public static StepDecay of(long stepSize) {
        return new StepDecay(stepSize, 0.1);
    }

    @Override
    public double at(double baseLr, long t) {
        return baseLr * Math.pow(gamma, Math.floorDiv(t, stepSize));
    }
}
