package dev.myelin.cli.lab.optim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.report.Chart;
import dev.myelin.cli.lab.ConfigLab;
import dev.myelin.cli.lab.LabContext;
import dev.myelin.cli.lab.LabRun;
import dev.myelin.cli.lab.StepLosses;
import dev.myelin.cli.lab.Table;
import java.util.List;
import java.util.Locale;

/**
 * {@code myelin lab optimizers}: the same MLP (784-256-128-10, ReLU), the same initialization and
 * batch order, trained by SGD, SGD with momentum, Nesterov momentum, Adagrad, AdaDelta, RMSprop,
 * Adam, AdamW and NAdam, each with its usual learning rate ("Deep Feedforward Networks" (Strojové
 * učení II), "Adaptive Learning Rate" and "Solver takeaway"); the runs are
 * {@code examples/lab/optimizers/*.yaml}. One chart holds the training-loss curves (per step,
 * smoothed) and the validation loss per epoch.
 */
public final class OptimizersLab {
    /** The lab: its runs, and quick mode's overrides. */
    public static final ConfigLab LAB = new ConfigLab("optimizers",
            "SGD, momentum, Nesterov, Adagrad, AdaDelta, RMSprop, Adam, AdamW, NAdam on one Fashion-MNIST MLP",
            List.of("sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "adamw", "nadam"),
            List.of("data.train_limit=600", "data.test_limit=200", "epochs=2"), List.of(), OptimizersLab::verdict);

    private OptimizersLab() {
    }

    private static String verdict(LabContext ctx, List<LabRun> runs, Table table) throws Exception {
        chart(ctx, runs, table, ctx.quick() ? 5 : 50);
        ObjectNode summary = ctx.summary().withObject("/runs");
        StringBuilder b = new StringBuilder("after " + runs.get(0).config().epochs()
                + " epochs (final training loss, test accuracy):\n");
        LabRun best = runs.get(0);
        for (LabRun r : runs) {
            String settings = settings(r);
            ((ObjectNode) summary.get(r.name())).put("settings", settings);
            b.append(String.format(Locale.ROOT, "  %-9s %s%n            loss %.4f  test accuracy %.4f%n", r.name(), settings,
                    r.finalTrainLoss(), r.testAccuracy()));
            if (r.finalTrainLoss() < best.finalTrainLoss() || Double.isNaN(best.finalTrainLoss())) {
                best = r;
            }
        }
        double sgd = runs.get(0).finalTrainLoss();
        long beatSgd = runs.stream().skip(1).filter(r -> r.finalTrainLoss() < sgd).count();
        ctx.summary().put("lowest_train_loss", best.name());
        b.append(String.format(Locale.ROOT, "%d of %d methods reach a lower training loss than plain SGD (%.4f); "
                + "lowest: %s (%.4f). ", beatSgd, runs.size() - 1, sgd, best.name(), best.finalTrainLoss()));
        b.append("The lecture: momentum and adaptive rates speed up progress along gently sloped directions, "
                + "and there is no clear winner among the adaptive methods (Adam, RMSprop, NAG remain good choices)"
                + (beatSgd >= runs.size() - 2 ? " - consistent with this run." : " - this run differs; see the chart."));
        return b.toString();
    }

    /** The optimizer's options as the resolved config writes them, e.g. {@code adam lr=0.001 ...}. */
    private static String settings(LabRun r) {
        return r.config().optimizer().toTree().toString().replace("\"", "");
    }

    private static void chart(LabContext ctx, List<LabRun> runs, Table table, int window) throws Exception {
        Chart loss = Chart.of("training loss (mean of " + window + " steps)", "step", "cross-entropy").logY();
        for (LabRun r : runs) {
            double[][] s = StepLosses.smooth(r.stepLosses(), window);
            loss.line(r.name(), s[0], s[1]);
        }
        Chart val = table.chart("validation loss", "epoch", "val_loss", "cross-entropy").logY();
        Chart.save(ctx.file("optimizers.png"), loss, val);
    }
}
