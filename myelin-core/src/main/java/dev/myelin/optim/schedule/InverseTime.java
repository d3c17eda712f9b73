package dev.myelin.optim.schedule;

/**
 * 1/t decay (Sun, "Training DNNs: Tricks", "diminishing LR (1/t, ...)"; Keras's InverseTimeDecay):
 * <pre>
 * η(t) = η₀ / (1 + r · t / d)              η(t) = η₀ / (1 + r · ⌊t / d⌋)   (staircase)
 * </pre>
 * with decay rate r and decay steps d: the classic Robbins–Monro rate, Σ η = ∞ and Σ η² &lt; ∞.
 * It is power scheduling with c = 1 and s = d/r, plus the staircase option. PyTorch has no
 * class for it ({@code LambdaLR} with the same formula). Counted in optimizer steps by default.
 *
 * @param decayRate r, &gt; 0
 * @param decaySteps d, &gt; 0
 * @param staircase whether t/d is rounded down
 */
public record InverseTime(double decayRate, double decaySteps, boolean staircase) implements LrSchedule {
    public InverseTime {
        LrSchedule.require(decayRate > 0, "inverse_time", "decay_rate", "> 0", decayRate);
        LrSchedule.require(decaySteps > 0, "inverse_time", "decay_steps", "> 0", decaySteps);
    }

    /** Without staircase. */
    public static InverseTime of(double decayRate, double decaySteps) {
        return new InverseTime(decayRate, decaySteps, false);
    }

    @Override
    public double at(double baseLr, long t) {
        double p = t / decaySteps;
        return baseLr / (1 + decayRate * (staircase ? Math.floor(p) : p));
    }

    @Override
    public Unit defaultUnit() {
        return Unit.STEP;
    }
}
