package dev.myelin.optim.schedule;

/**
 * Cosine annealing (Loshchilov &amp; Hutter 2017, SGDR without restarts; PyTorch's
 * {@code CosineAnnealingLR} in its closed form):
 * <pre>
 * η(t) = η_min + (η₀ − η_min) · (1 + cos(π · t / T_max)) / 2
 * </pre>
 * The rate follows half a cosine from η₀ to η_min over T_max steps or epochs. Past T_max the
 * formula rises again (period 2·T_max), as PyTorch's does; choose T_max = the training length.
 * Counted in epochs by default.
 *
 * @param tMax T_max, &gt;= 1
 * @param etaMin η_min, the floor, &gt;= 0 (absolute, the same for every group, as PyTorch's)
 */
public record Cosine(long tMax, double etaMin) implements LrSchedule {
    public Cosine {
        LrSchedule.require(tMax >= 1, "cosine", "t_max", ">= 1", tMax);
        LrSchedule.require(etaMin >= 0, "cosine", "eta_min", ">= 0", etaMin);
    }

    /** PyTorch's eta_min 0. */
    public static Cosine of(long tMax) {
        return new Cosine(tMax, 0);
    }

    @Override
    public double at(double baseLr, long t) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
    }
}
