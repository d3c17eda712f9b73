package dev.myelin.cli.lab;

import dev.myelin.cli.report.Chart;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.Callback;
import dev.myelin.train.TrainContext;
import dev.myelin.train.regularize.ParamSelection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab weight-decay}: L2 against L1 against no penalty (Sun, "Training DNNs: Tricks":
 * "‖W‖²_F penalizes large values in W"; "‖W‖₁ promotes sparse W, many entries near zero";
 * "Deep Feedforward Networks" (Strojové učení II), "L₁-norm: sparse solution"). The same 784-256-256-10 MLP and
 * initialization is trained with SGD (momentum 0.9) on 10,000 Fashion-MNIST images three
 * times: without a penalty, with (λ/2)‖W‖² and with λ‖W‖₁ on the weight matrices. The chart
 * shows the histograms of the first layer's weights after training (L2 narrows the
 * distribution; L1 piles weights up at zero), the fraction of near-zero weights
 * (|w| &lt; 10⁻³) per epoch, and the validation curves.
 */
public final class WeightDecayLab {
    /** |w| below this counts as near zero: 3% of the first layer's initial bound 1/√784. */
    static final double NEAR_ZERO = 1e-3;
    private static final List<String> RUNS = List.of("none", "l2", "l1");

    /** The lab: the runs {@code examples/lab/weight-decay/*.yaml}, the weight statistics and the training-set evaluation. */
    public static final ConfigLab LAB = new ConfigLab("weight-decay",
            "L2 vs L1 vs no penalty on a 784-256-256-10 MLP (Fashion-MNIST): weight histograms, "
                    + "near-zero weights, validation curves",
            RUNS, List.of("data.train_limit=900", "data.test_limit=300", "epochs=3", "model[1].linear.out=32",
                    "model[3].linear.out=32"),
            List.of((t, d) -> new WeightStats(), TrainingSetEvaluation::ofValidationSize), WeightDecayLab::verdict);

    private WeightDecayLab() {
    }

    private static String verdict(LabContext ctx, List<LabRun> runs, Table table) throws Exception {
        Map<String, Map<String, Double>> results = new LinkedHashMap<>();
        Map<String, float[]> firstLayer = new LinkedHashMap<>();
        for (LabRun r : runs) {
            results.put(r.name(), figures(r));
            firstLayer.put(r.name(), ParamSelection.WEIGHTS.select(r.result().model()).values().iterator().next().toArray());
        }
        Chart.save(ctx.file("weight-decay.png"), 2, List.of(
                Histograms.values(firstLayer, 0.15, 60).logY(),
                Histograms.log10Magnitudes(firstLayer, -8, 0, 64),
                table.chart("near-zero weights (|w| < 1e-3), all layers", "epoch", "near_zero_fraction", "fraction"),
                validation(table)));
        ObjectNode summary = ctx.summary();
        results.forEach((run, f) -> f.forEach(summary.putObject(run)::put));
        summary.put("l1_lambda", LabRun.named(runs, "l1").config().regularization().l1());
        summary.put("l2_lambda", LabRun.named(runs, "l2").config().regularization().l2());
        summary.put("near_zero_threshold", NEAR_ZERO);
        summary.put("chart", "weight-decay.png");
        return verdict(results);
    }

    private static Map<String, Double> figures(LabRun r) {
        Map<String, Double> f = TrainingSetEvaluation.figures(r);
        for (String k : List.of("near_zero_fraction", "weight_norm", "mean_abs_weight")) {
            f.put(k, r.last().get(k));
        }
        return f;
    }

    private static Chart validation(Table table) {
        Chart c = Chart.of("validation loss", "epoch", "cross-entropy");
        for (String run : table.runs()) {
            c.line(run, table.column(run, "epoch"), table.column(run, "val_loss"));
        }
        return c;
    }

    private static String verdict(Map<String, Map<String, Double>> r) {
        StringBuilder b = new StringBuilder();
        for (String run : RUNS) {
            Map<String, Double> f = r.get(run);
            b.append(String.format(Locale.ROOT, "%-5s near-zero %5.1f%%  ‖W‖ %.2f  mean|w| %.4f  train %.4f  val %.4f  "
                    + "gap %.4f  test %.4f%n", run, 100 * f.get("near_zero_fraction"), f.get("weight_norm"),
                    f.get("mean_abs_weight"), f.get("train_accuracy"), f.get("val_accuracy"), f.get("gap"),
                    f.get("test_accuracy")));
        }
        Map<String, Double> none = r.get("none");
        Map<String, Double> l1 = r.get("l1");
        Map<String, Double> l2 = r.get("l2");
        boolean sparse = l1.get("near_zero_fraction") > 5 * none.get("near_zero_fraction")
                && l1.get("near_zero_fraction") > l2.get("near_zero_fraction");
        boolean smaller = l2.get("weight_norm") < none.get("weight_norm");
        b.append(String.format(Locale.ROOT, "L1: %.1f%% of the weights near zero vs %.1f%% without a penalty and %.1f%% "
                + "with L2 (%s).%n", 100 * l1.get("near_zero_fraction"), 100 * none.get("near_zero_fraction"),
                100 * l2.get("near_zero_fraction"), sparse ? "sparse, as the lecture says" : "NOT sparser"));
        b.append(String.format(Locale.ROOT, "L2: weight norm %.2f vs %.2f without (%s).%n", l2.get("weight_norm"),
                none.get("weight_norm"), smaller ? "smaller weights, as the lecture says" : "NOT smaller"));
        b.append(sparse && smaller ? "Both lecture claims are shown." : "The lecture's claims are NOT both shown by this run.");
        return b.toString();
    }

    /** Per epoch: the weights' near-zero fraction, L2 norm and mean magnitude (all weight matrices). */
    static final class WeightStats implements Callback {
        @Override
        public void collectMetrics(TrainContext ctx, int epoch, Map<String, Double> into) {
            long n = 0;
            long near = 0;
            double sq = 0;
            double abs = 0;
            for (Tensor w : ParamSelection.WEIGHTS.select(ctx.model()).values()) {
                for (float v : w.data()) {
                    n++;
                    near += Math.abs(v) < NEAR_ZERO ? 1 : 0;
                    sq += (double) v * v;
                    abs += Math.abs(v);
                }
            }
            into.put("near_zero_fraction", (double) near / n);
            into.put("weight_norm", Math.sqrt(sq));
            into.put("mean_abs_weight", abs / n);
        }
    }
}
