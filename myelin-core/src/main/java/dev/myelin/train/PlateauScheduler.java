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
public final class PlateauScheduler implements Callback, Stateful {
    /**
     * The callback's options, flat as Keras's {@code ReduceLROnPlateau(monitor, mode, ...)}: the
     * monitored metrics.csv column, {@code mode} (AUTO: from the name, as {@link EarlyStopping}),
     * then {@link ReduceLrOnPlateau.Options}'s fields. Defaults: monitor val_loss, mode auto,
     * the rest PyTorch's ({@link ReduceLrOnPlateau.Options#defaults()}).
     */
    public record Options(String monitor, EarlyStopping.Mode mode, double factor, int patience, double threshold,
                          ReduceLrOnPlateau.ThresholdMode thresholdMode, int cooldown, double minLr, double eps) {
        public Options {
            dev.myelin.options.Check.that(monitor != null && !monitor.isBlank(), "monitor", "a metrics.csv column",
                    monitor);
            dev.myelin.options.Check.present("mode", mode, "auto, min or max");
            plateau(monitor, mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public static Options defaults() {
            ReduceLrOnPlateau.Options d = ReduceLrOnPlateau.Options.defaults();
            return new Options("val_loss", EarlyStopping.Mode.AUTO, d.factor(), d.patience(), d.threshold(),
                    d.thresholdMode(), d.cooldown(), d.minLr(), d.eps());
        }

        /** The rule's options, AUTO resolved from the monitored name. */
        public ReduceLrOnPlateau.Options plateau() {
            return plateau(monitor, mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        private static ReduceLrOnPlateau.Options plateau(String monitor, EarlyStopping.Mode mode, double factor,
                                                         int patience, double threshold,
                                                         ReduceLrOnPlateau.ThresholdMode thresholdMode, int cooldown,
                                                         double minLr, double eps) {
            boolean max = mode == EarlyStopping.Mode.MAX
                    || (mode == EarlyStopping.Mode.AUTO && EarlyStopping.isHigherBetter(monitor));
            return new ReduceLrOnPlateau.Options(max ? ReduceLrOnPlateau.Mode.MAX : ReduceLrOnPlateau.Mode.MIN, factor,
                    patience, threshold, thresholdMode, cooldown, minLr, eps);
        }
    }

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

    /** The callback these options describe, after a warm-up of {@code warmupEpochs} from {@code startFactor}. */
    public PlateauScheduler(Options options, int warmupEpochs, double startFactor) {
        this(new ReduceLrOnPlateau(options.plateau()), options.monitor(), warmupEpochs, startFactor);
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

    @Override
    public String stateName() {
        return "plateau";
    }

    @Override
    public void saveState(TrainState into) {
        into.put("reductions", reductions).put("best", plateau.best()).put("bad_epochs", plateau.badEpochs())
                .put("cooldown_left", plateau.cooldownLeft());
    }

    @Override
    public void loadState(TrainState from) {
        reductions = from.getInt("reductions");
        plateau.restore(from.getDouble("best"), from.getInt("bad_epochs"), from.getInt("cooldown_left"));
    }
}
