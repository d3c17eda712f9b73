package dev.myelin.optim.schedule;

/**
 * The constant learning rate, η(t) = η₀: the baseline the lecture argues schedules beat
 * (Huang, "Training Deep Neural Networks", "Learning Rate Scheduling").
 */
public record Constant() implements LrSchedule {
    /** The only constant schedule: the optimizer's own rate. */
    public static Constant defaults() {
        return new Constant();
    }

    @Override
    public double at(double baseLr, long t) {
        return baseLr;
    }
}
