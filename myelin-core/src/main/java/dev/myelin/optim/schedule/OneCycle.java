package dev.myelin.optim.schedule;

/**
 * The 1cycle policy (Smith &amp; Topin 2018, "Super-Convergence"; Géron, Hands-On Machine
 * Learning, ch. 11, "1cycle scheduling"; PyTorch's {@code OneCycleLR}): the rate rises from
 * η_max / div_factor to η_max over the first {@code pct_start} of the run, then falls to
 * η_max / (div_factor · final_div_factor) by its last step; {@code three_phase} falls back to
 * the start first and only then to the minimum. Each phase anneals by a half cosine
 * (η(p) = end + (start − end)(1 + cos πp)/2 over the phase's fraction p) or linearly, with the
 * phase boundaries PyTorch uses (the first phase ends at step pct_start · total_steps − 1).
 *
 * <p>PyTorch also cycles the momentum inversely (0.95 to 0.85 and back); Myelin's schedules set
 * only the rate, so this matches {@code OneCycleLR(..., cycle_momentum=False)}. {@code max_lr}
 * 0 takes each group's own initial rate as its η_max.
 *
 * @param totalSteps     the steps (or epochs) of the run, &gt;= 2
 * @param maxLr          η_max; 0: the group's initial learning rate
 * @param pctStart       the rising share of the run, in (0, 1)
 * @param anneal         cos (PyTorch's default) or linear
 * @param divFactor      η_start = η_max / div_factor (25)
 * @param finalDivFactor η_min = η_start / final_div_factor (1e4)
 * @param threePhase     PyTorch's three_phase (false)
 */
public record OneCycle(long totalSteps, double maxLr, double pctStart, Anneal anneal, double divFactor,
                       double finalDivFactor, boolean threePhase) implements LrSchedule {
    /** How a phase goes from its start to its end rate. */
    public enum Anneal { COS, LINEAR }

    public OneCycle {
        LrSchedule.require(totalSteps >= 2, "onecycle", "total_steps", ">= 2", totalSteps);
        LrSchedule.require(maxLr >= 0, "onecycle", "max_lr", ">= 0 (0: the group's lr)", maxLr);
        LrSchedule.require(pctStart > 0 && pctStart < 1, "onecycle", "pct_start", "in (0, 1)", pctStart);
        LrSchedule.require(anneal != null, "onecycle", "anneal", "cos or linear", anneal);
        LrSchedule.require(divFactor > 0, "onecycle", "div_factor", "> 0", divFactor);
        LrSchedule.require(finalDivFactor > 0, "onecycle", "final_div_factor", "> 0", finalDivFactor);
    }

    /** PyTorch's defaults: pct_start 0.3, cos, div_factor 25, final_div_factor 1e4, two phases. */
    public static OneCycle of(long totalSteps) {
        return new OneCycle(totalSteps, 0, 0.3, Anneal.COS, 25, 1e4, false);
    }

    @Override
    public double at(double baseLr, long t) {
        double max = maxLr > 0 ? maxLr : baseLr;
        double initial = max / divFactor;
        double min = initial / finalDivFactor;
        double[] ends = threePhase
                ? new double[] {pctStart * totalSteps - 1, 2 * pctStart * totalSteps - 2, totalSteps - 1}
                : new double[] {pctStart * totalSteps - 1, totalSteps - 1};
        double[] from = threePhase ? new double[] {initial, max, initial} : new double[] {initial, max};
        double[] to = threePhase ? new double[] {max, initial, min} : new double[] {max, min};
        double start = 0;
        for (int i = 0; i < ends.length; i++) {
            if (t <= ends[i] || i == ends.length - 1) {
                double pct = (t - start) / (ends[i] - start);
                return anneal == Anneal.COS ? to[i] + (from[i] - to[i]) / 2.0 * (Math.cos(Math.PI * pct) + 1)
                        : (to[i] - from[i]) * pct + from[i];
            }
            start = ends[i];
        }
        throw new IllegalStateException("unreachable");
    }

    /** Counted in optimizer steps, as PyTorch steps it after every batch. */
    @Override
    public Unit defaultUnit() {
        return Unit.STEP;
    }
}
