package dev.myelin.optim.schedule;

/**
 * Linear decay ("Deep Feedforward Networks" (Strojové učení II), "Learning Rate Scheduler: linear decay";
 * PyTorch's {@code LinearLR}):
 * <pre>
 * η(t) = η₀ · (f₀ + (f₁ − f₀) · min(t, T) / T)
 * </pre>
 * The factor moves linearly from f₀ ({@code startFactor}) to f₁ ({@code endFactor}) over T
 * ({@code totalIters}) steps or epochs and then stays at f₁. <b>Defaults differ from PyTorch</b>:
 * Myelin's {@link #of} decays (f₀ = 1, f₁ = 0), where PyTorch's LinearLR defaults (1/3 → 1 over 5)
 * describe a warm-up (see {@link Warmup}). PyTorch computes the factor recursively; Myelin uses
 * the closed form (equal to float rounding). Counted in epochs by default.
 *
 * @param startFactor f₀, &gt;= 0
 * @param endFactor f₁, &gt;= 0
 * @param totalIters T, &gt;= 1
 */
public record LinearDecay(double startFactor, double endFactor, long totalIters) implements LrSchedule {
    public LinearDecay {
        LrSchedule.require(startFactor >= 0, "linear", "start_factor", ">= 0", startFactor);
        LrSchedule.require(endFactor >= 0, "linear", "end_factor", ">= 0", endFactor);
        LrSchedule.require(totalIters >= 1, "linear", "total_iters", ">= 1", totalIters);
    }

    /** From η₀ down to 0 over {@code totalIters}. */
    public static LinearDecay of(long totalIters) {
        return new LinearDecay(1, 0, totalIters);
    }

    @Override
    public double at(double baseLr, long t) {
        return baseLr * (startFactor + (endFactor - startFactor) * Math.min(t, totalIters) / totalIters);
    }
}
