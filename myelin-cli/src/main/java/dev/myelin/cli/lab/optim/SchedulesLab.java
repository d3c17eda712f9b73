package dev.myelin.cli.lab.optim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.report.Chart;
import dev.myelin.cli.lab.ConfigLab;
import dev.myelin.cli.lab.LabContext;
import dev.myelin.cli.lab.LabRun;
import dev.myelin.cli.lab.Table;
import java.util.List;
import java.util.Locale;

/**
 * {@code myelin lab schedules}: one MLP trained by SGD with momentum (η₀ = 0.05) under a constant
 * rate, power scheduling, exponential scheduling, performance scheduling (reduce on plateau of
 * the validation loss) and cosine annealing (Huang, "Training Deep Neural Networks", "Learning Rate
 * Scheduling"); the runs are {@code examples/lab/schedules/*.yaml}. The chart shows each run's
 * learning rate, training loss and validation loss per epoch.
 */
public final class SchedulesLab {
    /**
     * The lab. Quick mode trains 600 images (10 steps an epoch) for 3 epochs, so the step counts of
     * power, exponential and cosine shrink with it, each in its own run.
     */
    public static final ConfigLab LAB = new ConfigLab("schedules",
            "constant vs power vs exponential vs performance (plateau) vs cosine learning rates, SGD momentum",
            List.of("constant", "power", "exponential", "plateau", "cosine"),
            List.of("data.train_limit=800", "data.validation=0.25", "data.test_limit=200", "epochs=3",
                    "power:schedule.s=10", "exponential:schedule.s=30", "cosine:schedule.t_max=30"),
            List.of(), SchedulesLab::verdict);

    private SchedulesLab() {
    }

    private static String verdict(LabContext ctx, List<LabRun> results, Table table) throws Exception {
        Chart.save(ctx.file("schedules.png"), 3, List.of(
                table.chart("learning rate at the start of each epoch", "epoch", "lr", "lr").logY(),
                table.chart("training loss", "epoch", "train_loss", "cross-entropy"),
                table.chart("validation loss", "epoch", "val_loss", "cross-entropy")));
        return verdict(ctx, results);
    }

    /** A metrics.csv value of the last epoch; NaN when the run diverged in its first epoch. */
    private static double last(LabRun r, String metric) {
        return r.history().last() == null ? Double.NaN : r.history().last().get(metric);
    }

    /** The schedule's options as the resolved config writes them, e.g. {@code s=157.0 c=1.0 every=step}. */
    private static String settings(LabRun r) {
        if (r.config().schedule() == null) {
            return "";
        }
        ObjectNode o = r.config().schedule().toTree().deepCopy();
        o.remove("name");
        return o.toString().replaceAll("[\"{}]", "").replace(",", " ").replace(":", "=");
    }

    private static String verdict(LabContext ctx, List<LabRun> results) {
        ObjectNode runs = ctx.summary().withObject("/runs");
        StringBuilder b = new StringBuilder("final epoch (training loss, validation loss, test accuracy):\n");
        for (LabRun r : results) {
            double acc = r.testAccuracy();
            String settings = settings(r);
            ((ObjectNode) runs.get(r.name())).put("settings", settings).put("final_lr", last(r, "lr"));
            b.append(String.format(Locale.ROOT, "  %-11s %s%n              loss %.4f  val loss %.4f  test accuracy %.4f%n",
                    r.name(), settings, last(r, "train_loss"), last(r, "val_loss"), acc));
        }
        LabRun constant = results.get(0);
        double cAcc = constant.testAccuracy();
        double cVal = last(constant, "val_loss");
        long betterAcc = results.stream().skip(1).filter(r -> r.testAccuracy() > cAcc).count();
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
