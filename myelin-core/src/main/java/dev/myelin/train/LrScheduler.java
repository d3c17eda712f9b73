package dev.myelin.train;

import dev.myelin.optim.Optimizer;
import dev.myelin.optim.schedule.LrSchedule;

/**
 * Applies an {@link LrSchedule} during {@link Trainer#fit}: before every optimizer step (unit
 * STEP) or at the start of every epoch (unit EPOCH), each parameter group's learning rate is set
 * to {@code schedule.at(initial lr of the group, t)}, t counting steps or epochs from 0. The
 * rate an epoch starts with is the {@code lr} column of metrics.csv. The counter continues across
 * calls of fit, as a PyTorch scheduler does.
 */
public final class LrScheduler implements Callback, Stateful {
    private final LrSchedule schedule;
    private final LrSchedule.Unit unit;
    private long t;

    public LrScheduler(LrSchedule schedule, LrSchedule.Unit unit) {
        this.schedule = schedule;
        this.unit = unit;
    }

    /** The schedule in its default unit. */
    public LrScheduler(LrSchedule schedule) {
        this(schedule, schedule.defaultUnit());
    }

    public LrSchedule schedule() {
        return schedule;
    }

    public LrSchedule.Unit unit() {
        return unit;
    }

    @Override
    public void onTrainBegin(TrainContext ctx) {
        if (unit == LrSchedule.Unit.STEP) {
            apply(ctx.optimizer());
        }
    }

    @Override
    public void onEpochBegin(TrainContext ctx, int epoch) {
        if (unit == LrSchedule.Unit.EPOCH) {
            apply(ctx.optimizer());
            t++;
        }
    }

    @Override
    public void onBatchEnd(TrainContext ctx, int epoch, int batch, int batches, double loss, int samples) {
        if (unit == LrSchedule.Unit.STEP) {
            t++;
            apply(ctx.optimizer()); // the rate of the next step, so an epoch starts with its first step's rate
        }
    }

    private void apply(Optimizer opt) {
        for (int g = 0; g < opt.groupCount(); g++) {
            opt.setLr(g, schedule.at(opt.initialLr(g), t));
        }
    }

    @Override
    public String stateName() {
        return "lr_scheduler";
    }

    @Override
    public void saveState(TrainState into) {
        into.put("t", t);
    }

    @Override
    public void loadState(TrainState from) {
        t = from.getLong("t");
    }
}
