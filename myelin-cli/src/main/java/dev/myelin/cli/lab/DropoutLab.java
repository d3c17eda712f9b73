package dev.myelin.cli.lab;

import dev.myelin.cli.report.Chart;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab dropout}: dropout against overfitting (Srivastava et al. 2014; Fleuret, "EE-559 Deep Learning, 6. Going deeper",
 * Sun, "Training DNNs: Tricks"). A wide MLP, 784-512-512-10 with ReLU (670,000 weights for 10,000
 * images), trained with Adam (lr 10⁻³, batch 128, 20 epochs) on 10,000 Fashion-MNIST images
 * overfits: its training accuracy runs ahead of the validation accuracy and the validation
 * loss turns up after a few epochs. The same network and initialization with dropout (p = 0.1
 * on the input, 0.3 on the hidden units) and with DropConnect (p = 0.3 on the hidden layers'
 * weights, Wan et al. 2013) should show a smaller gap between training and validation accuracy
 * and a test accuracy at least as good. The runs are {@code examples/lab/dropout/*.yaml}.
 *
 * <p>Departures from the issue's example, for the time budget (a few minutes on two busy
 * cores): 512 hidden units instead of 1024 (a third of the work; still 67 weights per training
 * image), and drop rates below the paper's 0.2/0.5, which need far more epochs than this to
 * converge (measured here with 0.2/0.5: test accuracy 0.8504 against 0.8551 without dropout
 * after 15 epochs, although the gap was halved).
 *
 * <p>The gap is measured with (the first 5,000 images of) the training set evaluated in
 * evaluation mode after each epoch ({@link TrainingSetEvaluation}), so dropout's noisy
 * training-mode figures do not shrink it artificially.
 */
public final class DropoutLab {
    private static final List<String> RUNS = List.of("no-dropout", "dropout", "dropconnect");

    /** The lab: its three runs, quick mode's overrides and the training-set evaluation. */
    public static final ConfigLab LAB = new ConfigLab("dropout",
            "784-512-512-10 MLP on 10,000 Fashion-MNIST images: no dropout vs dropout vs DropConnect "
                    + "(overfitting gap, test accuracy)",
            RUNS, List.of("data.train_limit=900", "data.test_limit=300", "epochs=3"),
            List.of(TrainingSetEvaluation::ofValidationSize), DropoutLab::verdict);

    private DropoutLab() {
    }

    private static String verdict(LabContext ctx, List<LabRun> runs, Table table) throws Exception {
        Map<String, Map<String, Double>> results = new LinkedHashMap<>();
        runs.forEach(r -> results.put(r.name(), TrainingSetEvaluation.figures(r)));
        Chart.save(ctx.file("dropout.png"), 2, List.of(
                table.chart("training-set loss (evaluation mode)", "epoch", "train_eval_loss", "cross-entropy"),
                table.chart("validation loss", "epoch", "val_loss", "cross-entropy"),
                table.chart("validation accuracy", "epoch", "val_accuracy", "accuracy"),
                gap(table)));
        ObjectNode summary = ctx.summary();
        results.forEach((run, f) -> f.forEach(summary.putObject(run)::put));
        summary.put("chart", "dropout.png");
        return verdict(results);
    }

    private static Chart gap(Table table) {
        Chart c = Chart.of("overfitting gap: train - validation accuracy", "epoch", "accuracy gap");
        for (String run : table.runs()) {
            double[] tr = table.column(run, "train_eval_accuracy");
            double[] va = table.column(run, "val_accuracy");
            double[] g = new double[tr.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = tr[i] - va[i];
            }
            c.line(run, table.column(run, "epoch"), g);
        }
        return c;
    }

    private static String verdict(Map<String, Map<String, Double>> r) {
        StringBuilder b = new StringBuilder();
        for (String run : RUNS) {
            Map<String, Double> f = r.get(run);
            b.append(String.format(Locale.ROOT, "%-12s train %.4f  val %.4f  gap %.4f  test %.4f  (val loss %.4f, best %.4f)%n",
                    run, f.get("train_accuracy"), f.get("val_accuracy"), f.get("gap"), f.get("test_accuracy"),
                    f.get("val_loss"), f.get("best_val_loss")));
        }
        Map<String, Double> none = r.get("no-dropout");
        for (String run : List.of("dropout", "dropconnect")) {
            Map<String, Double> f = r.get(run);
            boolean smallerGap = f.get("gap") < none.get("gap");
            boolean asGood = f.get("test_accuracy") >= none.get("test_accuracy");
            b.append(String.format(Locale.ROOT, "%s: gap %.4f vs %.4f without (%s), test accuracy %+.4f (%s).%n", run,
                    f.get("gap"), none.get("gap"), smallerGap ? "smaller" : "NOT smaller",
                    f.get("test_accuracy") - none.get("test_accuracy"), asGood ? "at least as good" : "worse"));
        }
        boolean shown = r.get("dropout").get("gap") < none.get("gap")
                && r.get("dropout").get("test_accuracy") >= none.get("test_accuracy");
        b.append(shown ? "As the lecture says: dropout reduces overfitting (a smaller train-validation gap) without losing test accuracy."
                : "The lecture's claim (smaller gap, test accuracy at least as good) is NOT shown by this run.");
        return b.toString();
    }
}
