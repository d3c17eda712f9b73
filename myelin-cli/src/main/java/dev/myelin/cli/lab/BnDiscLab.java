package dev.myelin.cli.lab;

import dev.myelin.cli.report.Chart;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab bn-disc}: workload D of BENCHMARKS.md, the lecture's deep MLP on the 2-D
 * "disc" toy set (going-deeper, {@code create_model(with_batchnorm, nc=32, depth=16)}), trained with
 * and without BatchNorm1d: Linear(2,32)-[BN]-ReLU, 16 × [Linear(32,32)-[BN]-ReLU], Linear(32,2);
 * cross-entropy, SGD lr 0.1, batch 100; PyTorch's default initialization (as
 * {@code bench/pytorch_reference.py disc}, init "default"); inputs standardized per feature with the
 * training statistics. Both runs start from the same Linear weights (a layer's stream is named
 * by its kind and ordinal). The runs are {@code examples/lab/bn-disc/*.yaml}.
 *
 * <p>PyTorch's numbers (BENCHMARKS.md): without BN the test error stays at chance (0.50-0.52),
 * with BN it reaches 0.016-0.027 after 100 epochs on 1,000 points.
 */
public final class BnDiscLab {
    /** The lab: its two runs and quick mode's overrides. */
    public static final ConfigLab LAB = new ConfigLab("bn-disc",
            "16-layer MLP on the 2-D disc: SGD with vs without BatchNorm1d, training loss and validation error per epoch",
            List.of("no-bn", "bn"), List.of("data.train_size=1000", "data.test_size=500", "epochs=12"), List.of(),
            BnDiscLab::verdict);

    private BnDiscLab() {
    }

    private static String verdict(LabContext ctx, List<LabRun> runs, Table table) throws Exception {
        for (LabRun r : runs) {
            table.addPerEpoch(r.name(), r.history(), e -> Map.of("val_error", 1 - e.valAccuracy()));
        }
        int epochs = runs.get(0).config().epochs();
        Chart.save(ctx.file("bn-disc.png"),
                table.chart("training loss, depth 16, SGD lr 0.1", "epoch", "train_loss", "mean training loss"),
                table.chart("validation error (chance = 0.5)", "epoch", "val_error", "validation error"));
        for (LabRun r : runs) {
            ((ObjectNode) ctx.summary().withObject("/runs").get(r.name())).put("test_error", 1 - r.testAccuracy());
        }
        ctx.summary().put("chart", "bn-disc.png");
        return verdict(runs, ctx.quick() ? "in quick mode the runs are too short to get there"
                : "after " + epochs + " epochs");
    }

    private static String verdict(List<LabRun> runs, String why) {
        double bn = 1 - LabRun.named(runs, "bn").testAccuracy();
        double none = 1 - LabRun.named(runs, "no-bn").testAccuracy();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "final test error: with BatchNorm1d %.4f, without %.4f (chance 0.5)", bn, none));
        for (LabRun r : runs) {
            if (r.history().stopReason() != null) {
                b.append("\n").append(r.name()).append(": ").append(r.history().stopReason());
            }
        }
        boolean noneFails = !(none <= 0.4) || LabRun.named(runs, "no-bn").history().stopReason() != null;
        if (bn < 0.05 && noneFails) {
            b.append("\nAs the lecture and PyTorch (workload D: 0.016-0.027 with BN, 0.50-0.52 without): batch"
                    + " normalization makes the 16-layer net trainable; without it the net does not learn.");
        } else if (bn < 0.5 && (noneFails || bn < none)) {
            b.append("\nBatchNorm1d helps, but the contrast is weaker than PyTorch's (< 0.05 with BN, about 0.5"
                    + " without) " + why + ".");
        } else {
            b.append("\nThe lecture's contrast does NOT show here: the run with BN is not better.");
        }
        return b.toString();
    }
}
