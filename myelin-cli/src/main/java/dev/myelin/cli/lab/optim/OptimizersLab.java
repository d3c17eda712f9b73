package dev.myelin.cli.lab.optim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.lab.Chart;
import dev.myelin.cli.lab.Experiment;
import dev.myelin.cli.lab.LabContext;
import dev.myelin.cli.lab.LabData;
import dev.myelin.cli.lab.Table;
import dev.myelin.data.Splits;
import dev.myelin.optim.Adadelta;
import dev.myelin.optim.Adagrad;
import dev.myelin.optim.Adam;
import dev.myelin.optim.AdamW;
import dev.myelin.optim.NAdam;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.RmsProp;
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code myelin lab optimizers}: the same MLP (784-256-128-10, ReLU), the same initialization and
 * batch order, trained by SGD, SGD with momentum, Nesterov momentum, Adagrad, AdaDelta, RMSprop,
 * Adam, AdamW and NAdam, each with its usual learning rate ("Deep Feedforward Networks" (Strojové učení II),
 * "Adaptive Learning Rate" and "Solver takeaway"). One chart holds the training-loss curves
 * (per step, smoothed) and the validation loss per epoch.
 */
public final class OptimizersLab implements Experiment {
    private record Candidate(String name, String settings, Function<List<Tensor>, Optimizer> make) {
    }

    private static final List<Candidate> CANDIDATES = List.of(
            new Candidate("sgd", "lr 0.05", ps -> new Sgd(ps, Sgd.Options.of(0.05))),
            new Candidate("momentum", "lr 0.05, momentum 0.9", ps -> new Sgd(ps, new Sgd.Options(0.05, 0.9, 0, 0, false))),
            new Candidate("nesterov", "lr 0.05, momentum 0.9", ps -> new Sgd(ps, new Sgd.Options(0.05, 0.9, 0, 0, true))),
            new Candidate("adagrad", "lr 0.01", ps -> new Adagrad(ps, Adagrad.Options.of(0.01))),
            new Candidate("adadelta", "lr 1.0", ps -> new Adadelta(ps, Adadelta.Options.of(1.0))),
            new Candidate("rmsprop", "lr 0.001", ps -> new RmsProp(ps, RmsProp.Options.of(1e-3))),
            new Candidate("adam", "lr 0.001", ps -> new Adam(ps, Adam.Options.of(1e-3))),
            new Candidate("adamw", "lr 0.001, weight_decay 0.01", ps -> new AdamW(ps, AdamW.options(1e-3))),
            new Candidate("nadam", "lr 0.002", ps -> new NAdam(ps, NAdam.Options.of(2e-3))));

    @Override
    public String name() {
        return "optimizers";
    }

    @Override
    public String description() {
        return "SGD, momentum, Nesterov, Adagrad, AdaDelta, RMSprop, Adam, AdamW, NAdam on one Fashion-MNIST MLP";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        boolean quick = ctx.quick();
        Splits data = LabData.fashion(ctx, quick ? 600 : 12000, quick ? 200 : 2000, quick ? 200 : 10000);
        int epochs = quick ? 2 : 8;
        int batch = 64;
        int[] hidden = {256, 128};
        Table table = new Table();
        List<MlpRun.Result> results = new ArrayList<>();
        for (Candidate c : CANDIDATES) {
            MlpRun.Result r = MlpRun.train(ctx, c.name(), data, hidden, epochs, batch, c.make());
            results.add(r);
            table.add(c.name(), r.history());
        }
        table.write(ctx.file("metrics.csv"));
        chart(ctx, results, table, quick ? 5 : 50);
        return verdict(ctx, results, epochs);
    }

    private static void chart(LabContext ctx, List<MlpRun.Result> results, Table table, int window) throws Exception {
        Chart loss = Chart.of("training loss (mean of " + window + " steps)", "step", "cross-entropy").logY();
        for (MlpRun.Result r : results) {
            double[][] s = MlpRun.smooth(r.stepLosses(), window);
            loss.line(r.name(), s[0], s[1]);
        }
        Chart acc = table.chart("validation loss", "epoch", "val_loss", "cross-entropy").logY();
        Chart.save(ctx.file("optimizers.png"), loss, acc);
    }

    private static String verdict(LabContext ctx, List<MlpRun.Result> results, int epochs) {
        ObjectNode runs = ctx.summary().putObject("runs");
        StringBuilder b = new StringBuilder("after " + epochs + " epochs (final training loss, test accuracy):\n");
        MlpRun.Result best = results.get(0);
        for (MlpRun.Result r : results) {
            double loss = finalLoss(r);
            double acc = r.test() == null ? Double.NaN : r.test().accuracy();
            ObjectNode o = runs.putObject(r.name());
            o.put("settings", settings(r.name())).put("final_train_loss", loss).put("test_accuracy", acc)
                    .put("diverged", r.history().diverged());
            b.append(String.format(Locale.ROOT, "  %-9s %-28s loss %.4f  test accuracy %.4f%n", r.name(),
                    settings(r.name()), loss, acc));
            if (loss < finalLoss(best) || Double.isNaN(finalLoss(best))) {
                best = r;
            }
        }
        double sgd = finalLoss(results.get(0));
        long beatSgd = results.stream().skip(1).filter(r -> finalLoss(r) < sgd).count();
        ctx.summary().put("lowest_train_loss", best.name());
        b.append(String.format(Locale.ROOT, "%d of %d methods reach a lower training loss than plain SGD (%.4f); "
                + "lowest: %s (%.4f). ", beatSgd, results.size() - 1, sgd, best.name(), finalLoss(best)));
        b.append("The lecture: momentum and adaptive rates speed up progress along gently sloped directions, "
                + "and there is no clear winner among the adaptive methods (Adam, RMSprop, NAG remain good choices)"
                + (beatSgd >= results.size() - 2 ? " - consistent with this run." : " - this run differs; see the chart."));
        return b.toString();
    }

    /** The last epoch's training loss; NaN when the run diverged in its first epoch. */
    private static double finalLoss(MlpRun.Result r) {
        return r.history().last() == null ? Double.NaN : r.history().last().trainLoss();
    }

    private static String settings(String name) {
        return CANDIDATES.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().settings();
    }
}
