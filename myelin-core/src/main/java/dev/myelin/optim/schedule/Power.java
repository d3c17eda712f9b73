package dev.myelin.optim.schedule;

/**
 * Power scheduling (Huang, "Training Deep Neural Networks", eq. 1; Géron, HML ch. 11):
 * <pre>
 * η(t) = η₀ / (1 + t/s)^c
 * </pre>
 * with step size s and power c (typically 1). The rate first drops quickly, then ever more
 * slowly: η((k+1)s)/η(ks) = (1 − 1/(k+2))^c. PyTorch has no class for it; it equals
 * {@code LambdaLR(lambda t: 1 / (1 + t/s)**c)}. Counted in optimizer steps by default.
 *
 * @param s the step size (t at which η has fallen to η₀/2^c), &gt; 0
 * @param c the power, &gt; 0
 */
public record Power(double s, double c) implements LrSchedule {
    public Power {
        LrSchedule.require(s > 0, "power", "s", "> 0", s);
        LrSchedule.require(c > 0, "power", "c", "> 0", c);
    }

    /** With c = 1. */
    public static Power of(double s) {
        return new Power(s, 1);
    }

    @Override
    public double at(double baseLr, long t) {
        return baseLr / Math.pow(1 + t / s, c);
    }

    @Override
    public Unit defaultUnit() {
        return Unit.STEP;
    }
}
