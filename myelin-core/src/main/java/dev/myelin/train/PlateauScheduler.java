package dev.myelin.train;

import dev.myelin.optim.Optimizer;
import dev.myelin.optim.schedule.ReduceLrOnPlateau;

/**
 * Performance scheduling during {@link Trainer#fit}: at the end of every epoch the monitored
 * metric (a metrics.csv column, usually {@code val_loss}) goes to {@link ReduceLrOnPlateau},
 * which lowers the learning rates when it stops improving. An optional linear warm-up over the
 * first epochs raises each group's rate from {@code startFactor}·η₀ to η₀ first; the plateau
 * logic starts after it.
 */
public final class PlateauScheduler implements Callback {
    private final ReduceLrOnPlateau plateau;
    private final String monitor;
    private final int warmupEpochs;
    private final double startFactor;
    private int reductions;

    public PlateauScheduler(ReduceLrOnPlateau plateau, String monitor, int warmupEpochs, double startFactor) {
        if (warmupEpochs < 0 || !(startFactor >= 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("plateau warm-up: expected epochs >= 0 and start_factor in [0, 1], got "
                    + warmupEpochs + " and " + startFactor);
        }
        this.plateau = plateau;
        this.monitor = monitor;
        this.warmupEpochs = warmupEpochs;
        this.startFactor = startFactor;
    }

    public PlateauScheduler(ReduceLrOnPlateau plateau, String monitor) {
        this(plateau, monitor, 0, 1);
    }

    /** How many epochs lowered the learning rate so far. */
    public int reductions() {
        return reductions;
    }

    @Override
    public void onEpochBegin(TrainContext ctx, int epoch) {
        Optimizer opt = ctx.optimizer();
        if (epoch <= warmupEpochs) {
            double f = startFactor + (1 - startFactor) * (epoch - 1) / warmupEpochs;
            for (int g = 0; g < opt.groupCount(); g++) {
                opt.setLr(g, opt.initialLr(g) * f);
            }
        } else if (epoch == warmupEpochs + 1 && warmupEpochs > 0) {
            for (int g = 0; g < opt.groupCount(); g++) {
                opt.setLr(g, opt.initialLr(g));
            }
        }
    }

    @Override
    public void onEpochEnd(TrainContext ctx, EpochMetrics metrics) {
        if (metrics.epoch() > warmupEpochs && plateau.step(ctx.optimizer(), metrics.get(monitor))) {
            reductions++;
        }
    }
}
