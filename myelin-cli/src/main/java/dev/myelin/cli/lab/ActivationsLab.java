package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.data.ArrayDataset;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Splits;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.init.Init;
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.EpochMetrics;
import dev.myelin.train.Evaluation;
import dev.myelin.train.History;
import dev.myelin.train.Trainer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

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
 */
public final class ActivationsLab implements Experiment {
    private record Choice(String name, Supplier<Activation> activation, String init) {
    }

    private static final List<Choice> CHOICES = List.of(
            new Choice("relu", Activation::relu, "kaiming"),
            new Choice("tanh", Activation::tanh, "xavier"),
            new Choice("sigmoid", Activation::sigmoid, "xavier"),
            new Choice("elu", () -> Activation.elu(1.0), "kaiming"),
            new Choice("selu", Activation::selu, "lecun"),
            new Choice("gelu", () -> Activation.gelu("none"), "kaiming"));

    /** Sizes of one run: default and quick. */
    private record Setup(int train, int test, int hidden, int depth, int epochs, double lr, int batch, double threshold) {
        int[] widths() {
            return Mlp.widths(784, hidden, depth, 10);
        }
    }

    @Override
    public String name() {
        return "activations";
    }

    @Override
    public String description() {
        return "ReLU vs tanh vs sigmoid vs ELU vs SELU vs GELU: epochs and seconds to a training-error threshold"
                + " (Krizhevsky et al. 2012)";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        Setup s = ctx.quick() ? new Setup(600, 200, 32, 2, 3, 0.05, 32, 0.5)
                : new Setup(10000, 2000, 256, 4, 10, 0.05, 64, 0.12);
        Splits data = LabData.fashion(ctx, s.train(), 0, s.test());
        ctx.log("%d training / %d test images, MLP %s, SGD lr %.3g (no momentum), batch %d, %d epochs,"
                + " threshold: training error %.0f%%", data.train().size(), data.test().size(),
                java.util.Arrays.toString(s.widths()), s.lr(), s.batch(), s.epochs(), 100 * s.threshold());
        if (!ctx.quick()) {
            warmUp(ctx, s, data);
        }
        Table table = new Table();
        ObjectNode results = ctx.summary().putObject("activations");
        for (Choice c : CHOICES) {
            ObjectNode r = results.putObject(c.name());
            train(ctx, s, data, c, table, r);
        }
        ctx.summary().put("threshold_train_error", s.threshold());
        ctx.summary().put("train_samples", data.train().size());
        table.write(ctx.file("metrics.csv"));
        Chart.save(ctx.file("activations.png"),
                table.chart("Training error per epoch", "epoch", "train_error", "training error (running, per epoch)").logY(),
                table.chart("Training error against time", "elapsed_seconds", "train_error", "training error")
                        .logY(),
                table.chart("Training loss", "epoch", "train_loss", "cross-entropy").logY());
        return verdict(results, s.threshold());
    }

    /** One unrecorded epoch of each network on 1,000 images, so that JIT compilation is not timed. */
    private static void warmUp(LabContext ctx, Setup s, Splits data) {
        ctx.log("warming up the JIT (one unrecorded epoch of each network on 1,000 images)");
        ArrayDataset few = ArrayDataset.copyOf(data.train()).subset(java.util.stream.IntStream.range(0, 1000).toArray());
        for (Choice c : CHOICES) {
            Sequential model = model(s, c, ctx.rng());
            new Trainer(model, Loss.crossEntropy(), new Sgd(model.parameters(), Sgd.Options.of(s.lr())))
                    .fit(new DataLoader(few, s.batch(), ctx.rng().split("warm-up")), null, 1);
        }
    }

    private static Sequential model(Setup s, Choice c, Rng rng) {
        return Mlp.build(s.widths(), c.activation(), false, (w, first, g) -> init(c.init(), w, g), rng.split("model"));
    }

    private static void train(LabContext ctx, Setup s, Splits data, Choice c, Table table, ObjectNode r) {
        Rng rng = ctx.rng();
        Sequential model = model(s, c, rng);
        Trainer t = new Trainer(model, Loss.crossEntropy(), new Sgd(model.parameters(), Sgd.Options.of(s.lr())))
                .addCallback(new EpochLog(ctx, c.name()));
        History h = t.fit(new DataLoader(data.train(), s.batch(), rng.split("shuffle")), null, s.epochs());
        Evaluation test = t.evaluate(new DataLoader(data.test(), 500));
        double elapsed = 0;
        int epochsTo = -1;
        double secondsTo = Double.NaN;
        for (EpochMetrics m : h.epochs()) {
            elapsed += m.seconds();
            double err = 1 - m.trainAccuracy();
            if (epochsTo < 0 && err <= s.threshold()) {
                epochsTo = m.epoch();
                secondsTo = elapsed;
            }
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("epoch", (double) m.epoch());
            row.put("train_error", err);
            row.put("train_loss", m.trainLoss());
            row.put("elapsed_seconds", elapsed);
            row.put("seconds", m.seconds());
            table.add(c.name(), row);
        }
        r.put("init", c.init());
        if (epochsTo > 0) {
            r.put("epochs_to_threshold", epochsTo);
            r.put("seconds_to_threshold", secondsTo);
        } else {
            r.putNull("epochs_to_threshold");
            r.putNull("seconds_to_threshold");
        }
        r.put("final_train_error", 1 - h.last().trainAccuracy());
        r.put("seconds_per_epoch", elapsed / h.epochs().size());
        // the median is what an epoch costs; the mean also carries the load spikes of a shared machine
        r.put("median_epoch_seconds", h.epochs().stream().mapToDouble(EpochMetrics::seconds).sorted()
                .skip((h.epochs().size() - 1) / 2).limit(2 - h.epochs().size() % 2).average().orElse(Double.NaN));
        r.put("test_accuracy", test.accuracy());
        r.put("diverged", h.diverged());
    }

    private static void init(String kind, Tensor w, Rng rng) {
        switch (kind) {
            case "kaiming" -> Init.kaimingNormal(w, 0, Init.FanMode.FAN_IN, "relu", rng);
            case "xavier" -> Init.xavierNormal(w, 1.0, rng);
            default -> Init.lecunNormal(w, rng);
        }
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
