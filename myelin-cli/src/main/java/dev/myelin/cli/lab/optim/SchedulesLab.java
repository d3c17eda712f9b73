package dev.myelin.cli.lab.optim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.lab.Chart;
import dev.myelin.cli.lab.Experiment;
import dev.myelin.cli.lab.LabContext;
import dev.myelin.cli.lab.LabData;
import dev.myelin.cli.lab.Table;
import dev.myelin.data.Splits;
import dev.myelin.optim.Sgd;
import dev.myelin.optim.schedule.Constant;
import dev.myelin.optim.schedule.Cosine;
import dev.myelin.optim.schedule.Exponential;
import dev.myelin.optim.schedule.LrSchedule;
import dev.myelin.optim.schedule.Power;
import dev.myelin.optim.schedule.ReduceLrOnPlateau;
import dev.myelin.train.Callback;
import dev.myelin.train.LrScheduler;
import dev.myelin.train.PlateauScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code myelin lab schedules}: one MLP trained by SGD with momentum (η₀ = 0.05) under a constant
 * rate, power scheduling, exponential scheduling, performance scheduling (reduce on plateau of
 * the validation loss) and cosine annealing (Huang, "Training Deep Neural Networks", "Learning Rate
 * Scheduling"). The chart shows each run's learning rate, training loss and validation loss per
 * epoch.
 */
public final class SchedulesLab implements Experiment {
    private static final double LR = 0.05;

    @Override
    public String name() {
        return "schedules";
    }

    @Override
    public String description() {
        return "constant vs power vs exponential vs performance (plateau) vs cosine learning rates, SGD momentum";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        boolean quick = ctx.quick();
        Splits data = LabData.fashion(ctx, quick ? 600 : 12000, quick ? 200 : 2000, quick ? 200 : 10000);
        int epochs = quick ? 3 : 12;
        int batch = 64;
        long steps = (long) epochs * ((data.train().size() + batch - 1) / batch);
        long perEpoch = steps / epochs;
        List<String> names = List.of("constant", "power", "exponential", "plateau", "cosine");
        List<String> settings = List.of("eta0 " + LR, "s = " + perEpoch + " steps (1 epoch), c = 1",
                "s = " + steps + " steps (0.1x over the run)", "val_loss, factor 0.5, patience 1",
                "t_max = " + steps + " steps, eta_min 0");
        List<Callback> callbacks = List.of(
                new LrScheduler(new Constant(), LrSchedule.Unit.STEP),
                new LrScheduler(new Power(perEpoch, 1), LrSchedule.Unit.STEP),
                new LrScheduler(new Exponential(steps), LrSchedule.Unit.STEP),
                new PlateauScheduler(new ReduceLrOnPlateau(new ReduceLrOnPlateau.Options(ReduceLrOnPlateau.Mode.MIN,
                        0.5, 1, 1e-4, ReduceLrOnPlateau.ThresholdMode.REL, 0, 0, 1e-8)), "val_loss"),
                new LrScheduler(new Cosine(steps, 0), LrSchedule.Unit.STEP));
        Table table = new Table();
        List<MlpRun.Result> results = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            MlpRun.Result r = MlpRun.train(ctx, names.get(i), data, new int[] {256, 128}, epochs, batch,
                    ps -> new Sgd(ps, new Sgd.Options(LR, 0.9, 0, 0, false)), callbacks.get(i));
            results.add(r);
            table.add(names.get(i), r.history());
        }
        table.write(ctx.file("metrics.csv"));
        Chart.save(ctx.file("schedules.png"), 3, List.of(
                table.chart("learning rate at the start of each epoch", "epoch", "lr", "lr").logY(),
                table.chart("training loss", "epoch", "train_loss", "cross-entropy"),
                table.chart("validation loss", "epoch", "val_loss", "cross-entropy")));
        return verdict(ctx, results, settings);
    }

    /** A metrics.csv value of the last epoch; NaN when the run diverged in its first epoch. */
    private static double last(MlpRun.Result r, String metric) {
        return r.history().last() == null ? Double.NaN : r.history().last().get(metric);
    }

    private static String verdict(LabContext ctx, List<MlpRun.Result> results, List<String> settings) {
        ObjectNode runs = ctx.summary().putObject("runs");
        StringBuilder b = new StringBuilder("final epoch (training loss, validation loss, test accuracy):\n");
        for (int i = 0; i < results.size(); i++) {
            MlpRun.Result r = results.get(i);
            double acc = r.test() == null ? Double.NaN : r.test().accuracy();
            runs.putObject(r.name()).put("settings", settings.get(i)).put("final_train_loss", last(r, "train_loss"))
                    .put("final_val_loss", last(r, "val_loss")).put("final_lr", last(r, "lr")).put("test_accuracy", acc)
                    .put("diverged", r.history().diverged());
            b.append(String.format(Locale.ROOT, "  %-11s %-40s loss %.4f  val loss %.4f  test accuracy %.4f%n",
                    r.name(), settings.get(i), last(r, "train_loss"), last(r, "val_loss"), acc));
        }
        MlpRun.Result constant = results.get(0);
        double cAcc = constant.test() == null ? Double.NaN : constant.test().accuracy();
        double cVal = last(constant, "val_loss");
        long betterAcc = results.stream().skip(1).filter(r -> r.test() != null && r.test().accuracy() > cAcc).count();
        long betterVal = results.stream().skip(1).filter(r -> last(r, "val_loss") < cVal).count();
        b.append(String.format(Locale.ROOT, "%d of %d schedules end with a higher test accuracy than the constant rate "
                + "(%.4f), %d of %d with a lower validation loss (%.4f). ", betterAcc, results.size() - 1, cAcc,
                betterVal, results.size() - 1, cVal));
        b.append("The lecture recommends scheduling over a constant rate: large steps early, small steps to settle"
                + (betterVal * 2 >= results.size() - 1 ? " - consistent with this run." : " - this run differs; see the chart."));
        ctx.summary().put("schedules_beating_constant_test_accuracy", betterAcc)
                .put("schedules_beating_constant_val_loss", betterVal);
        return b.toString();
    }
}
