package dev.myelin.cli.lab;

import dev.myelin.cli.report.Chart;
import java.util.List;
import java.util.Locale;

/**
 * {@code myelin lab bn-placement}: the Fashion-MNIST MLP of workload A (784-256-256-10, ReLU,
 * Dropout 0.2, Adam lr 1e-3, batch 128; pixels standardized with the training mean and std) with
 * BatchNorm1d before the ReLU (workload A itself), after the ReLU, and without BatchNorm; the runs
 * are {@code examples/lab/bn-placement/*.yaml}. All three start from the same Linear weights (a
 * layer's stream is named by its kind and ordinal) and see the same batches.
 *
 * <p>Sun, "Training DNNs: Tricks", "Question: BN before or after the activation?": the original
 * paper (Ioffe and Szegedy, 2015) put BN before the activation, "the 'after' version is more
 * intuitive", and "both are used in practice and debatable which one is more effective".
 */
public final class BnPlacementLab {
    private static final List<String> RUNS = List.of("bn-before-relu", "bn-after-relu", "no-bn");

    /** The lab: its three runs and quick mode's overrides. */
    public static final ConfigLab LAB = new ConfigLab("bn-placement",
            "Fashion-MNIST MLP: BatchNorm1d before vs after ReLU vs none, training loss and accuracy per epoch",
            RUNS, List.of("data.train_limit=2500", "data.test_limit=1000", "epochs=2"), List.of(),
            BnPlacementLab::verdict);

    private BnPlacementLab() {
    }

    private static String verdict(LabContext ctx, List<LabRun> runs, Table table) throws Exception {
        LabRun first = runs.get(0);
        Chart.save(ctx.file("bn-placement.png"),
                table.chart("training loss (Adam 1e-3)", "epoch", "train_loss", "mean training loss"),
                table.chart("validation accuracy", "epoch", "val_accuracy", "accuracy"));
        ctx.summary().put("epochs", first.config().epochs()).put("chart", "bn-placement.png");
        return verdict(runs);
    }

    /**
     * Final test accuracy and training loss of each placement. The yardstick for "ahead" is how much
     * validation accuracy moved between the last two epochs of any run: a gap smaller than that is
     * no ranking.
     */
    static String verdict(List<LabRun> runs) {
        StringBuilder b = new StringBuilder("test accuracy / final training loss:");
        double wobble = 0;
        LabRun best = runs.get(0);
        for (LabRun r : runs) {
            b.append(String.format(Locale.ROOT, " %s %.4f / %.4f;", r.name(), r.testAccuracy(), r.finalTrainLoss()));
            wobble = Math.max(wobble, r.lastValidationStep());
            if (r.testAccuracy() > best.testAccuracy()) {
                best = r;
            }
        }
        double before = LabRun.named(runs, "bn-before-relu").testAccuracy();
        double after = LabRun.named(runs, "bn-after-relu").testAccuracy();
        double gap = Math.abs(before - after);
        b.setLength(b.length() - 1);
        b.append(String.format(Locale.ROOT, "%nbest test accuracy: %s. Before vs after ReLU differ by %.2f points;"
                + " validation accuracy moved up to %.2f points between the last two epochs, so ", best.name(),
                gap * 100, wobble * 100));
        b.append(gap > wobble
                ? String.format(Locale.ROOT, "on this seed BN %s the ReLU is ahead.", before > after ? "before" : "after")
                : "on this seed neither placement is clearly ahead.");
        b.append(" The lecture: \"both are used in practice and debatable which one is more effective\".");
        return b.toString();
    }
}
