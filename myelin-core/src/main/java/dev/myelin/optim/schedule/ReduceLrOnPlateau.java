package dev.myelin.optim.schedule;

import dev.myelin.optim.Optimizer;

/**
 * Performance scheduling (Huang, "Training Deep Neural Networks", "Performance Scheduling"; PyTorch's
 * {@code ReduceLROnPlateau}): the learning rate of every group is multiplied by a factor λ as soon
 * as a monitored metric (e.g. the validation loss) has not improved for more than
 * {@code patience} consecutive epochs:
 * <pre>
 * better(a, best) =  a &lt; best·(1 − θ)   (min, rel)    a &lt; best − θ   (min, abs)
 *                    a &gt; best·(1 + θ)   (max, rel)    a &gt; best + θ   (max, abs)
 * bad ← better ? 0 : bad + 1;   in cooldown: cooldown ← cooldown − 1, bad ← 0
 * bad &gt; patience  ⇒  η ← max(λ·η, η_min) for each group (only if the change exceeds eps);
 *                    cooldown ← cooldown epochs, bad ← 0
 * </pre>
 * Defaults and semantics are PyTorch's (1.13): mode min, factor 0.1, patience 10, threshold
 * 1e-4, threshold_mode rel, cooldown 0, min_lr 0, eps 1e-8. The state (best, bad epochs,
 * cooldown) lives in this object; one instance drives one optimizer.
 */
public final class ReduceLrOnPlateau {
    /** Whether a smaller or a larger metric is better. */
    public enum Mode { MIN, MAX }

    /** Whether the threshold θ is relative to the best value or absolute. */
    public enum ThresholdMode { REL, ABS }

    /** Hyperparameters, validated. */
    public record Options(Mode mode, double factor, int patience, double threshold, ThresholdMode thresholdMode,
                          int cooldown, double minLr, double eps) {
        public Options {
            LrSchedule.require(mode != null, "plateau", "mode", "min or max", "none");
            LrSchedule.require(thresholdMode != null, "plateau", "threshold_mode", "rel or abs", "none");
            LrSchedule.require(factor > 0 && factor < 1, "plateau", "factor", "in (0, 1)", factor);
            LrSchedule.require(patience >= 0, "plateau", "patience", ">= 0", patience);
            LrSchedule.require(threshold >= 0, "plateau", "threshold", ">= 0", threshold);
            LrSchedule.require(cooldown >= 0, "plateau", "cooldown", ">= 0", cooldown);
            LrSchedule.require(minLr >= 0, "plateau", "min_lr", ">= 0", minLr);
            LrSchedule.require(eps >= 0, "plateau", "eps", ">= 0", eps);
        }

        /** PyTorch's defaults. */
        public static Options defaults() {
            return new Options(Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, 0, 1e-8);
        }
    }

    private final Options o;
    private double best;
    private int badEpochs;
    private int cooldownLeft;

    public ReduceLrOnPlateau(Options options) {
        this.o = options;
        this.best = options.mode() == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    public Options options() {
        return o;
    }

    /** The best metric seen so far. */
    public double best() {
        return best;
    }

    /** Epochs of cooldown left, in which bad epochs do not count. */
    public int cooldownLeft() {
        return cooldownLeft;
    }

    /** Sets the counters {@link #best()}, {@link #badEpochs()} and {@link #cooldownLeft()} report, e.g. when resuming. */
    public void restore(double best, int badEpochs, int cooldownLeft) {
        this.best = best;
        this.badEpochs = badEpochs;
        this.cooldownLeft = cooldownLeft;
    }

    /** Epochs since the last improvement (reset by a reduction and during cooldown). */
    public int badEpochs() {
        return badEpochs;
    }

    /**
     * Records one epoch's metric and reduces the optimizer's learning rates when it has not
     * improved for more than {@code patience} epochs. Returns true when a rate was reduced.
     */
    public boolean step(Optimizer optimizer, double metric) {
        if (isBetter(metric)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0; // bad epochs in cooldown do not count
        }
        if (badEpochs <= o.patience()) {
            return false;
        }
        cooldownLeft = o.cooldown();
        badEpochs = 0;
        return reduce(optimizer);
    }

    private boolean reduce(Optimizer optimizer) {
        boolean changed = false;
        for (int g = 0; g < optimizer.groupCount(); g++) {
            double old = optimizer.lr(g);
            double lr = Math.max(old * o.factor(), o.minLr());
            if (old - lr > o.eps()) {
                optimizer.setLr(g, lr);
                changed = true;
            }
        }
        return changed;
    }

    private boolean isBetter(double a) {
        double t = o.threshold();
        if (o.mode() == Mode.MIN) {
            return o.thresholdMode() == ThresholdMode.REL ? a < best * (1 - t) : a < best - t;
        }
        return o.thresholdMode() == ThresholdMode.REL ? a > best * (1 + t) : a > best + t;
    }
}
