package dev.myelin.optim.schedule;

/**
 * Exponential scheduling (Huang, "Training Deep Neural Networks", eq. 3; Géron, HML ch. 11):
 * <pre>
 * η(t) = η₀ · 0.1^(t/s)
 * </pre>
 * The rate falls by the same factor, 10, every s steps (eq. 4). This is PyTorch's
 * {@code ExponentialLR} with γ = 0.1^(1/s); Myelin evaluates the closed form, where PyTorch
 * multiplies by γ once per step (the two agree to float rounding). Counted in optimizer steps by
 * default.
 *
 * @param s the number of steps over which η falls tenfold, &gt; 0
 */
public record Exponential(double s) implements LrSchedule {
    public Exponential {
        LrSchedule.require(s > 0, "exponential", "s", "> 0", s);
    }

    /** The decay with this s (it has no default). */
    public static Exponential of(double s) {
        return new Exponential(s);
    }

    @Override
    public double at(double baseLr, long t) {
        return baseLr * Math.pow(0.1, t / s);
    }

    @Override
    public Unit defaultUnit() {
        return Unit.STEP;
    }
}
