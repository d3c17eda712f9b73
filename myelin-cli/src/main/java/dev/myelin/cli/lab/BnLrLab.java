package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.report.Chart;
import dev.myelin.cli.run.RunFolder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab bn-lr}: Huang, "Training Deep Neural Networks", "Batch Normalization: Pros
 * and Cons": batch normalization "allow[s] training DNNs with much larger learning rates" (Ioffe
 * &amp; Szegedy 2015 raised theirs 30 times). The same MLP ({@code examples/lab/bn-lr/*.yaml}),
 * without and with BatchNorm1d, trains with plain SGD at learning rates from 0.01 to 10; for each
 * the lab finds the largest rate that still trains, i.e. does not diverge and ends within 5
 * points of that network's best validation accuracy, and compares the two.
 */
public final class BnLrLab implements Experiment {
    static final double[] RATES = {0.01, 0.03, 0.1, 0.3, 1, 3, 10};
    static final List<String> ARMS = List.of("plain", "bn");
    /** How far below a network's best validation accuracy a run may end and still count as training. */
    static final double SLACK = 0.05;
    private static final List<String> QUICK = List.of("data.train_limit=1000", "data.test_limit=200", "epochs=1");

    @Override
    public String name() {
        return "bn-lr";
    }

    @Override
    public String description() {
        return "a ReLU MLP with and without BatchNorm1d under plain SGD at learning rates 0.01..10: the largest rate each"
                + " still trains at";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        Table table = new Table();
        Sweep sweep = new Sweep(name(), ARMS, "lr", RATES, lr -> List.of("optimizer.lr=" + lr), QUICK);
        Map<String, double[]> acc = new LinkedHashMap<>();
        sweep.train(ctx, table).forEach((arm, runs) -> acc.put(arm, runs.stream()
                .mapToDouble(r -> r.history().diverged() || r.last() == null ? Double.NaN : r.last().valAccuracy())
                .toArray()));
        table.write(ctx.file(RunFolder.METRICS));
        Chart c = Chart.of("validation accuracy after the epochs, plain SGD", "learning rate", "validation accuracy")
                .logX().yRange(0, 1);
        acc.forEach((arm, a) -> c.line(arm, RATES, a));
        Chart.save(ctx.file("bn-lr.png"), c);
        ObjectNode s = ctx.summary();
        acc.forEach((arm, a) -> {
            ObjectNode o = s.putObject(arm);
            for (int i = 0; i < RATES.length; i++) {
                LabContext.number(o, String.valueOf(RATES[i]), a[i]);
            }
            LabContext.number(o, "largest_rate_that_trains", largestThatTrains(a));
        });
        s.put("chart", "bn-lr.png");
        String v = judge(acc);
        return ctx.verdict(v);
    }

    /** The largest rate whose run did not diverge and ended within {@link #SLACK} of the best (NaN: none). */
    static double largestThatTrains(double[] acc) {
        double best = java.util.Arrays.stream(acc).filter(Double::isFinite).max().orElse(Double.NaN);
        double largest = Double.NaN;
        for (int i = 0; i < RATES.length; i++) {
            if (Double.isFinite(acc[i]) && acc[i] >= best - SLACK) {
                largest = RATES[i];
            }
        }
        return largest;
    }

    /** The verdict from the validation accuracies per rate of the two networks. */
    static String judge(Map<String, double[]> acc) {
        StringBuilder b = new StringBuilder("validation accuracy by learning rate (" + Sweep.join(RATES) + "):");
        acc.forEach((arm, a) -> {
            b.append(' ').append(arm);
            for (double v : a) {
                b.append(Double.isNaN(v) ? " diverged" : String.format(Locale.ROOT, " %.3f", v));
            }
            b.append(';');
        });
        b.setLength(b.length() - 1);
        double plain = largestThatTrains(acc.get("plain"));
        double bn = largestThatTrains(acc.get("bn"));
        double ratio = bn / plain;
        b.append(String.format(Locale.ROOT, "%nThe largest rate that still trains (no divergence, within %.0f points of"
                + " the network's best): plain %s, with batch norm %s, %.0fx. ", 100 * SLACK, Sweep.format(plain), Sweep.format(bn), ratio));
        b.append(ratio >= 10 ? "Consistent with the lecture: batch normalization trains at a much larger learning rate."
                : ratio > 1 ? "Batch normalization trains at a larger rate here, but not the 10x and more of the lecture's"
                + " \"much larger\"."
                : "The effect does not show in this run: batch normalization did not train at a larger rate.");
        return b.toString();
    }
}
