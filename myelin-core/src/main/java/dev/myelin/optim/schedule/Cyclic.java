package dev.myelin.optim.schedule;

/**
 * Cyclical learning rate, triangular policy (Smith 2017, "Cyclical Learning Rates for Training
 * Neural Networks"; "Deep Feedforward Networks" (Strojové učení II), "Cyclic LR"; PyTorch's {@code CyclicLR} with
 * mode "triangular"):
 * <pre>
 * L = up + down,   cycle = ⌊1 + t/L⌋,   x = 1 + t/L − cycle
 * s = x / (up/L)                 if x ≤ up/L
 * s = (x − 1) / (up/L − 1)       otherwise
 * η(t) = η₀ + (η_max − η₀) · s
 * </pre>
 * The rate climbs linearly from η₀ (PyTorch's base_lr: the group's own learning rate) to
 * η_max in {@code stepSizeUp} steps, falls back in {@code stepSizeDown}, and repeats. η_max is
 * absolute and shared by all groups (PyTorch's scalar max_lr). <b>Difference from PyTorch:</b>
 * momentum is not cycled (PyTorch's cycle_momentum=False). Counted in optimizer steps by default.
 *
 * @param maxLr η_max, &gt; 0
 * @param stepSizeUp steps from η₀ to η_max, &gt;= 1
 * @param stepSizeDown steps from η_max back to η₀, &gt;= 1; 0 means equal to up (PyTorch's None, the default)
 */
public record Cyclic(double maxLr, long stepSizeUp, long stepSizeDown) implements LrSchedule {
    public Cyclic {
        LrSchedule.require(maxLr > 0, "cyclic", "max_lr", "> 0", maxLr);
        LrSchedule.require(stepSizeUp >= 1, "cyclic", "step_size_up", ">= 1", stepSizeUp);
        LrSchedule.require(stepSizeDown >= 0, "cyclic", "step_size_down", ">= 0", stepSizeDown);
        if (stepSizeDown == 0) {
            stepSizeDown = stepSizeUp; // PyTorch's step_size_down=None
        }
    }

    /** PyTorch's step_size_up 2000, step_size_down the same. */
    public static Cyclic of(double maxLr) {
        return new Cyclic(maxLr, 2000, 0);
    }

    @Override
    public double at(double baseLr, long t) {
        double total = stepSizeUp + stepSizeDown;
        double ratio = stepSizeUp / total;
        double cycle = Math.floor(1 + t / total);
        double x = 1 + t / total - cycle;
        double s = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
        return baseLr + (maxLr - baseLr) * s;
    }

    @Override
    public Unit defaultUnit() {
        return Unit.STEP;
    }
}
