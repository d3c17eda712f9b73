package dev.myelin.cli.lab;

import dev.myelin.cli.report.Chart;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.model.bind.Bindings;
import dev.myelin.train.EpochMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab activations}: the same MLP (784, 4 × 256 hidden, 10; no normalization) trained on
 * Fashion-MNIST with ReLU, tanh, sigmoid, ELU, SELU and GELU by plain SGD (no momentum, one
 * learning rate for all): how many epochs, and seconds, each needs to bring the training error
 * under a threshold. Krizhevsky et al. (2012, Fleuret, "EE-559 Deep Learning, 6. Going deeper" "Rectifiers"): a ReLU network
 * "reaches a 25% training error rate on CIFAR-10 six times faster than an equivalent network
 * with tanh neurons"; ReLU's derivative does not vanish (Glorot et al. 2011).
 *
 * <p>Each activation gets the initialization made for it: Kaiming normal (He et al. 2015) for
 * ReLU, ELU and GELU, Xavier normal (Glorot &amp; Bengio 2010) for tanh and sigmoid, LeCun
 * normal for SELU (Klambauer et al. 2017). Every run sees the same batches in the same order.
 * The training error of an epoch is the running error over its batches (as Krizhevsky's curves).
 * The runs are {@code examples/lab/activations/*.yaml}. Every run is first trained one
 * unrecorded epoch on 1,000 images, so that the JIT has compiled before the recorded runs; the
 * seconds to the threshold are the epochs to it times the run's median epoch.
 */
public final class ActivationsLab {
    private static final double THRESHOLD = 0.12;
    private static final double QUICK_THRESHOLD = 0.5;

    /** The lab: six runs and quick mode's overrides (a narrower net, fewer images and epochs). */
    public static final ConfigLab LAB = new ConfigLab("activations",
            "ReLU vs tanh vs sigmoid vs ELU vs SELU vs GELU: epochs and seconds to a training-error threshold"
                    + " (Krizhevsky et al. 2012)",
            List.of("relu", "tanh", "sigmoid", "elu", "selu", "gelu"),
            List.of("data.train_limit=600", "data.test_limit=200", "epochs=3", "batch_size=32",
                    "model[1].linear.out=32", "model[3].linear.out=32", "model[5].linear.out=32",
                    "model[7].linear.out=32"),
            List.of(), ActivationsLab::verdict)
            .withWarmUp(List.of("data.train_limit=1000", "data.test_limit=100", "epochs=1"));

    private ActivationsLab() {
    }

    private static String verdict(LabContext ctx, List<LabRun> runs, Table table) throws Exception {
        double threshold = ctx.quick() ? QUICK_THRESHOLD : THRESHOLD;
        ObjectNode results = ctx.summary().putObject("activations");
        for (LabRun r : runs) {
            measure(r, threshold, table, results.putObject(r.name()));
        }
        ctx.summary().put("threshold_train_error", threshold);
        Chart.save(ctx.file("activations.png"),
                table.chart("Training error per epoch", "epoch", "train_error", "training error (running, per epoch)").logY(),
                table.chart("Training error against time", "elapsed_seconds", "train_error", "training error")
                        .logY(),
                table.chart("Training loss", "epoch", "train_loss", "cross-entropy").logY());
        return verdict(results, threshold);
    }

    private static void measure(LabRun run, double threshold, Table table, ObjectNode r) {
        List<EpochMetrics> epochs = run.history().epochs();
        double median = run.medianEpochSeconds();
        int epochsTo = -1;
        for (EpochMetrics m : epochs) {
            double err = 1 - m.trainAccuracy();
            if (epochsTo < 0 && err <= threshold) {
                epochsTo = m.epoch();
            }
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("epoch", (double) m.epoch());
            row.put("train_error", err);
            row.put("elapsed_seconds", m.epoch() * median);
            table.add(run.name(), row);
        }
        r.put("init", Bindings.BINDER.writeValue(run.config().init().layers()).toString().replace("\"", ""));
        if (epochsTo > 0) {
            r.put("epochs_to_threshold", epochsTo);
            r.put("seconds_to_threshold", epochsTo * median);
        } else {
            r.putNull("epochs_to_threshold");
            r.putNull("seconds_to_threshold");
        }
        r.put("final_train_error", run.last() == null ? Double.NaN : 1 - run.last().trainAccuracy());
        r.put("median_epoch_seconds", median);
        r.put("test_accuracy", run.testAccuracy());
        r.put("diverged", run.history().diverged());
    }

    /** Each activation's epochs and seconds to the threshold, the fewest, and ReLU against tanh and sigmoid. */
    private static String verdict(ObjectNode results, double threshold) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "epochs (seconds) to %.0f%% training error:",
                100 * threshold));
        results.fieldNames().forEachRemaining(name -> {
            ObjectNode r = (ObjectNode) results.get(name);
            boolean ok = !r.get("epochs_to_threshold").isNull();
            b.append(String.format(Locale.ROOT, "%n  %-8s %-12s  (median epoch %.2f s; final training error %.3f,"
                    + " test accuracy %.3f)", name, ok ? String.format(Locale.ROOT, "%2d (%.1f s)",
                            r.get("epochs_to_threshold").asInt(), r.get("seconds_to_threshold").asDouble()) : "not reached",
                    r.get("median_epoch_seconds").asDouble(), r.get("final_train_error").asDouble(),
                    r.get("test_accuracy").asDouble()));
        });
        int fewest = Integer.MAX_VALUE;
        for (var it = results.fields(); it.hasNext();) {
            var e = it.next();
            if (!e.getValue().get("epochs_to_threshold").isNull()) {
                fewest = Math.min(fewest, e.getValue().get("epochs_to_threshold").asInt());
            }
        }
        java.util.List<String> fastest = new java.util.ArrayList<>();
        for (var it = results.fields(); it.hasNext();) {
            var e = it.next();
            if (e.getValue().get("epochs_to_threshold").asInt(-1) == fewest) {
                fastest.add(e.getKey());
            }
        }
        if (!fastest.isEmpty()) {
            b.append(String.format(Locale.ROOT, "%nfewest epochs: %s (%d)", String.join(", ", fastest), fewest));
        }
        b.append(String.format(Locale.ROOT, "%n")).append(compare(results, "relu", "tanh"))
                .append(String.format(Locale.ROOT, "%n")).append(compare(results, "relu", "sigmoid"));
        return b.toString();
    }

    /** "relu reached it in E epochs, tanh in F: F/E times ..." or what happened instead. */
    private static String compare(ObjectNode results, String fast, String slow) {
        ObjectNode f = (ObjectNode) results.get(fast);
        ObjectNode s = (ObjectNode) results.get(slow);
        boolean fr = !f.get("epochs_to_threshold").isNull();
        boolean sr = !s.get("epochs_to_threshold").isNull();
        if (fr && sr) {
            double ratio = s.get("epochs_to_threshold").asDouble() / f.get("epochs_to_threshold").asDouble();
            double secRatio = s.get("seconds_to_threshold").asDouble() / f.get("seconds_to_threshold").asDouble();
            return String.format(Locale.ROOT, "%s needed %.1fx the epochs of %s (%.1fx the seconds)%s", slow, ratio, fast,
                    secRatio, ratio > 1 ? ": the rectifier trains faster, as the lecture says (Krizhevsky et al. report 6x"
                            + " for tanh on CIFAR-10)" : ": here the rectifier was not faster, unlike the lecture's claim");
        }
        if (fr) {
            return String.format(Locale.ROOT, "%s reached the threshold in %d epochs; %s did not within the run"
                    + " (final training error %.3f): the saturating unit trains slower, as the lecture says", fast,
                    f.get("epochs_to_threshold").asInt(), slow, s.get("final_train_error").asDouble());
        }
        return String.format(Locale.ROOT, "%s did not reach the threshold (final training error %.3f vs %s's %.3f)",
                fast, f.get("final_train_error").asDouble(), slow, s.get("final_train_error").asDouble());
    }
}
