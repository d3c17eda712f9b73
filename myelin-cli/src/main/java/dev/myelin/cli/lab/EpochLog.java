package dev.myelin.cli.lab;

import dev.myelin.train.Callback;
import dev.myelin.train.EpochMetrics;
import dev.myelin.train.TrainContext;

/** Prints one line per epoch of one run of an experiment: {@code [bn] epoch 3/10: ...}. */
public final class EpochLog implements Callback {
    private final LabContext ctx;
    private final String run;
    private final String heldOut;

    public EpochLog(LabContext ctx, String run) {
        this(ctx, run, "validation");
    }

    /** @param heldOut what the trainer's validation loader holds, for the log line: "validation" or "test" */
    public EpochLog(LabContext ctx, String run, String heldOut) {
        this.ctx = ctx;
        this.run = run;
        this.heldOut = heldOut;
    }

    @Override
    public void onEpochEnd(TrainContext t, EpochMetrics m) {
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT, "[%s] epoch %d/%d: train loss %.4f",
                run, m.epoch(), t.epochs(), m.trainLoss()));
        if (!Double.isNaN(m.trainAccuracy())) {
            b.append(String.format(java.util.Locale.ROOT, ", accuracy %.4f", m.trainAccuracy()));
        }
        if (!Double.isNaN(m.valLoss())) {
            b.append(String.format(java.util.Locale.ROOT, "; %s loss %.4f", heldOut, m.valLoss()));
            if (!Double.isNaN(m.valAccuracy())) {
                b.append(String.format(java.util.Locale.ROOT, ", accuracy %.4f", m.valAccuracy()));
            }
        }
        b.append(String.format(java.util.Locale.ROOT, " (%.1f s)", m.seconds()));
        ctx.log("%s", b);
    }
}
