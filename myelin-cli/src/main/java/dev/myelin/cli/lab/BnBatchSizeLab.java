package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.report.Chart;
import dev.myelin.cli.run.RunFolder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab bn-batch-size}: batch normalization estimates its mean and variance from the
 * mini-batch, so its statistics, and the running averages used at test time, get noisy as the
 * batch shrinks; layer and group normalization compute theirs within each sample and do not
 * depend on the batch (Sun, "Training DNNs: Tricks", "Zoo of normalization", after Wu &amp; He,
 * "Group normalization", ECCV 2018, whose Figure 1 shows BN's error rising steeply below 16
 * samples per batch while GN's stays flat; Fleuret, "Going deeper", layer normalization
 * "behaving similarly in train and test, and not processing batches jointly").
 *
 * <p>The same MLP ({@code examples/lab/bn-batch-size/*.yaml}) with BatchNorm1d, LayerNorm or
 * GroupNorm trains at batch sizes 2 to 128, with the learning rate scaled linearly with the
 * batch (lr = 0.1 &middot; B/128; Goyal et al. 2017), as Wu &amp; He do, so that every batch size
 * takes the same number of epochs at the same noise scale. The lab compares how far each
 * normalization's test accuracy falls from the largest batch to the smallest.
 */
public final class BnBatchSizeLab implements Experiment {
    static final double[] BATCHES = {2, 4, 8, 16, 32, 128};
    static final List<String> ARMS = List.of("bn", "layernorm", "groupnorm");
    /** The learning rate at batch 128; the lab scales it linearly with the batch. */
    static final double LR_AT_128 = 0.1;
    private static final List<String> QUICK = List.of("data.train_limit=600", "data.test_limit=200", "epochs=1");

    @Override
    public String name() {
        return "bn-batch-size";
    }

    @Override
    public String description() {
        return "an MLP with BatchNorm1d vs LayerNorm vs GroupNorm at batch sizes 2..128 (lr scaled with the batch):"
                + " how far each falls at small batches";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        Table table = new Table();
        Sweep sweep = new Sweep(name(), ARMS, "batch", BATCHES, b -> List.of("batch_size=" + (int) b,
                "optimizer.lr=" + LR_AT_128 * b / 128), QUICK);
        Map<String, double[]> acc = new LinkedHashMap<>();
        double wobble = 0;
        for (Map.Entry<String, List<LabRun>> e : sweep.train(ctx, table).entrySet()) {
            acc.put(e.getKey(), e.getValue().stream().mapToDouble(LabRun::testAccuracy).toArray());
            for (LabRun r : e.getValue()) {
                wobble = Math.max(wobble, r.lastValidationStep());
            }
        }
        table.write(ctx.file(RunFolder.METRICS));
        Chart c = Chart.of("test accuracy after the epochs (lr = 0.1 * batch / 128)", "batch size", "test accuracy")
                .logX();
        acc.forEach((arm, a) -> c.line(arm, BATCHES, a));
        Chart.save(ctx.file("bn-batch-size.png"), c);
        ObjectNode s = ctx.summary();
        acc.forEach((arm, a) -> {
            ObjectNode o = s.putObject(arm);
            for (int i = 0; i < BATCHES.length; i++) {
                LabContext.number(o, Sweep.format(BATCHES[i]), a[i]);
            }
            LabContext.number(o, "drop", drop(a));
        });
        LabContext.number(s, "wobble", wobble);
        s.put("chart", "bn-batch-size.png");
        return ctx.verdict(judge(acc, wobble));
    }

    /** How much test accuracy falls from the largest batch to the smallest (NaN when either is missing). */
    static double drop(double[] acc) {
        return acc[acc.length - 1] - acc[0];
    }

    /**
     * The verdict from the test accuracies per batch size of each normalization. The yardstick is
     * {@code wobble}, the most any run's validation accuracy moved between its last two epochs:
     * BN "falls at small batches" when its drop exceeds every other normalization's by more than that.
     */
    static String judge(Map<String, double[]> acc, double wobble) {
        StringBuilder b = new StringBuilder("test accuracy by batch size (" + Sweep.join(BATCHES) + "):");
        acc.forEach((arm, a) -> {
            b.append(' ').append(arm);
            for (double v : a) {
                b.append(String.format(Locale.ROOT, " %.3f", v));
            }
            b.append(';');
        });
        b.setLength(b.length() - 1);
        double bn = drop(acc.get("bn"));
        String worstOther = null;
        for (String arm : acc.keySet()) {
            if (!arm.equals("bn") && (worstOther == null || drop(acc.get(arm)) > drop(acc.get(worstOther)))) {
                worstOther = arm;
            }
        }
        double other = drop(acc.get(worstOther));
        b.append(String.format(Locale.ROOT, "%nFrom batch %s to batch %s, test accuracy falls by %.1f points with batch"
                        + " norm and by at most %.1f with the others (%s); validation accuracy moved up to %.1f points"
                        + " between a run's last two epochs. ", Sweep.format(BATCHES[BATCHES.length - 1]),
                Sweep.format(BATCHES[0]), 100 * bn, 100 * other, worstOther, 100 * wobble));
        if (!Double.isFinite(bn) || !Double.isFinite(other)) {
            b.append("A run has no test accuracy, so the lab cannot tell.");
        } else if (bn - other > wobble) {
            b.append(String.format(Locale.ROOT, "Consistent with the lecture (Wu & He 2018): batch normalization"
                    + " degrades at small batches, where the per-sample normalizations do not; it trails the best of"
                    + " them by more than that wobble up to batch %s.", Sweep.format(largestBehind(acc, wobble))));
        } else {
            b.append("The effect does not show in this run: batch normalization did not fall further than the"
                    + " others at small batches.");
        }
        return b.toString();
    }

    /**
     * The largest batch at which batch norm's accuracy trails the best other normalization's by
     * more than {@code slack} (NaN when it trails at none).
     */
    static double largestBehind(Map<String, double[]> acc, double slack) {
        double largest = Double.NaN;
        for (int i = 0; i < BATCHES.length; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (Map.Entry<String, double[]> e : acc.entrySet()) {
                best = e.getKey().equals("bn") ? best : Math.max(best, e.getValue()[i]);
            }
            if (acc.get("bn")[i] < best - slack) {
                largest = BATCHES[i];
            }
        }
        return largest;
    }
}
