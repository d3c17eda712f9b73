package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.data.ArrayDataset;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Dataset;
import dev.myelin.data.MnistFormat;
import dev.myelin.data.Splits;
import dev.myelin.data.Standardizer;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Adam;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.History;
import dev.myelin.train.McDropout;
import dev.myelin.train.McPrediction;
import dev.myelin.train.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code myelin lab mc-dropout} (Huang, "Training Deep Neural Networks": Monte Carlo dropout "uses the
 * dropout model on the test data multiple times while keeping dropout turned on"; Gal &amp;
 * Ghahramani 2016): an MLP with dropout is trained on Fashion-MNIST, then predicts with T
 * stochastic passes on three kinds of input — test images (in distribution), images of uniform
 * noise, and inverted test images (1 − pixel; both out of distribution). Per sample it measures
 * the spread (the standard deviation of the class probabilities over the passes, averaged over
 * the classes) and the predictive entropy of the mean probabilities. The claim: both are larger
 * out of distribution. The chart shows their histograms per input kind.
 */
public final class McDropoutLab implements Experiment {
    private static final List<String> KINDS = List.of("test images", "uniform noise", "inverted images");

    private record Setup(int train, int samples, int width, double p, int epochs, int passes) {
    }

    /** One input kind's per-sample figures. */
    private record Measured(String kind, double[] spread, double[] entropy, double[] confidence, double accuracy,
                            double deterministicEntropy) {
    }

    @Override
    public String name() {
        return "mc-dropout";
    }

    @Override
    public String description() {
        return "Monte Carlo dropout's spread and predictive entropy on Fashion-MNIST test images vs noise and"
                + " inverted images (out of distribution)";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        Setup s = ctx.quick() ? new Setup(1000, 100, 64, 0.3, 2, 10) : new Setup(20_000, 1000, 512, 0.3, 10, 30);
        Rng rng = ctx.rng();
        Splits raw = MnistFormat.fashionMnist(MnistFormat.Options.defaults().withDir(ctx.dataDir())
                .withTrainLimit(s.train()), rng.split("validation"));
        Standardizer st = Standardizer.fitScalar(raw.train());
        Sequential model = new Sequential(new Flatten(), new Linear(784, s.width(), rng.split("l0")), Activation.relu(),
                new Dropout(s.p(), rng.split("d0")), new Linear(s.width(), s.width(), rng.split("l1")),
                Activation.relu(), new Dropout(s.p(), rng.split("d1")), new Linear(s.width(), 10, rng.split("l2")));
        Trainer trainer = new Trainer(model, Loss.crossEntropy(), new Adam(model.parameters(), Adam.Options.of(1e-3)));
        trainer.addCallback(new EpochLog(ctx, "mlp-dropout"));
        ctx.log("training 784-%d-%d-10 with dropout %.1f on %,d images for %d epochs; then T = %d passes on %d samples"
                + " of each input kind", s.width(), s.width(), s.p(), s.train(), s.epochs(), s.passes(), s.samples());
        History h = trainer.fit(new DataLoader(st.apply(raw.train()), 128, rng.split("shuffle")), null, s.epochs());

        ArrayDataset test = ArrayDataset.copyOf(raw.test()).subset(IntStream.range(0, s.samples()).toArray());
        List<Dataset> inputs = List.of(test, noise(s.samples(), rng.split("noise")), inverted(test));
        List<Measured> results = new ArrayList<>();
        for (int k = 0; k < KINDS.size(); k++) {
            results.add(measure(KINDS.get(k), model, trainer, st.apply(inputs.get(k)), s.passes(),
                    rng.split("mc-dropout").split(KINDS.get(k)), k == 0));
        }
        Table table = new Table().add("training", h);
        results.forEach(m -> table.add(m.kind(), figures(m)));
        table.write(ctx.file("metrics.csv"));
        chart(ctx, results);
        summarize(ctx, s, results);
        return verdict(s, results);
    }

    /** Images of independent uniform pixels in [0, 1]. */
    private static ArrayDataset noise(int n, Rng rng) {
        float[] x = Tensor.rand(rng, n * 784).data();
        return new ArrayDataset(x, new int[] {1, 28, 28}, new float[n], 10);
    }

    /** 1 − pixel: a bright garment on a dark background becomes a dark one on a bright background. */
    private static ArrayDataset inverted(ArrayDataset test) {
        int n = test.size();
        float[] x = new float[n * 784];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            test.features(i, x, i * 784);
            y[i] = test.label(i);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = 1f - x[i];
        }
        return new ArrayDataset(x, new int[] {1, 28, 28}, y, 10);
    }

    private static Measured measure(String kind, Sequential model, Trainer trainer, ArrayDataset data, int passes,
                                    Rng rng, boolean labeled) {
        Tensor x = Tensor.of(allFeatures(data), data.size(), 1, 28, 28);
        McPrediction p = McDropout.predict(model, x, passes, rng);
        McPrediction det = new McPrediction(trainer.predict(x).softmax(1), Tensor.zeros(data.size(), 10), 1);
        int[] pred = p.predictedClasses();
        double[] confidence = new double[pred.length];
        int hits = 0;
        for (int i = 0; i < pred.length; i++) {
            confidence[i] = p.mean().data()[i * 10 + pred[i]];
            hits += pred[i] == (int) data.label(i) ? 1 : 0;
        }
        return new Measured(kind, p.meanSpread(), p.predictiveEntropy(), confidence,
                labeled ? (double) hits / pred.length : Double.NaN, mean(det.predictiveEntropy()));
    }

    private static float[] allFeatures(ArrayDataset d) {
        float[] x = new float[d.size() * d.featureSize()];
        for (int i = 0; i < d.size(); i++) {
            d.features(i, x, i * d.featureSize());
        }
        return x;
    }

    private static Map<String, Double> figures(Measured m) {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("mean_spread", mean(m.spread()));
        f.put("mean_entropy", mean(m.entropy()));
        f.put("mean_confidence", mean(m.confidence()));
        f.put("deterministic_entropy", m.deterministicEntropy());
        f.put("mc_accuracy", m.accuracy());
        return f;
    }

    private static void chart(LabContext ctx, List<Measured> results) throws java.io.IOException {
        double maxSpread = results.stream().flatMapToDouble(m -> java.util.Arrays.stream(m.spread())).max().orElse(1);
        Chart spread = Chart.of("MC dropout spread per sample (std of p, mean over classes)", "spread", "share of samples");
        Chart entropy = Chart.of("Predictive entropy of the MC mean", "entropy (nats)", "share of samples");
        for (Measured m : results) {
            double[][] hs = histogram(m.spread(), maxSpread, 25);
            spread.line(m.kind(), hs[0], hs[1]);
            double[][] he = histogram(m.entropy(), Math.log(10), 25);
            entropy.line(m.kind(), he[0], he[1]);
        }
        Chart.save(ctx.file("mc-dropout.png"), spread, entropy);
    }

    /** Bin centres and the share of values in each of {@code bins} equal bins over [0, max]. */
    private static double[][] histogram(double[] v, double max, int bins) {
        double[] centre = new double[bins];
        double[] share = new double[bins];
        double w = max / bins;
        for (int b = 0; b < bins; b++) {
            centre[b] = (b + 0.5) * w;
        }
        for (double x : v) {
            share[Math.min(bins - 1, Math.max(0, (int) (x / w)))] += 1.0 / v.length;
        }
        return new double[][] {centre, share};
    }

    private static void summarize(LabContext ctx, Setup s, List<Measured> results) {
        ObjectNode o = ctx.summary();
        o.put("train_samples", s.train()).put("samples_per_kind", s.samples()).put("hidden_width", s.width())
                .put("dropout", s.p()).put("epochs", s.epochs()).put("passes", s.passes());
        ObjectNode kinds = o.putObject("inputs");
        for (Measured m : results) {
            ObjectNode k = kinds.putObject(m.kind());
            figures(m).forEach((name, v) -> {
                if (Double.isFinite(v)) {
                    k.put(name, v);
                }
            });
        }
    }

    private static String verdict(Setup s, List<Measured> r) {
        Measured in = r.get(0);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "T = %d passes; test accuracy of the MC mean on %d test images: %.4f.%n", s.passes(), s.samples(),
                in.accuracy()));
        boolean all = true;
        for (Measured m : r) {
            b.append(String.format(Locale.ROOT, "%-16s mean spread %.4f, mean predictive entropy %.3f nats (one"
                            + " deterministic pass: %.3f), mean confidence %.3f%n", m.kind() + ":", mean(m.spread()),
                    mean(m.entropy()), m.deterministicEntropy(), mean(m.confidence())));
        }
        for (Measured m : r.subList(1, r.size())) {
            boolean larger = mean(m.spread()) > mean(in.spread()) && mean(m.entropy()) > mean(in.entropy());
            all &= larger;
            b.append(String.format(Locale.ROOT, "%s vs test images: spread x%.2f, entropy x%.2f: %s%n", m.kind(),
                    mean(m.spread()) / mean(in.spread()), mean(m.entropy()) / mean(in.entropy()),
                    larger ? "larger out of distribution" : "NOT larger"));
        }
        b.append(all ? "As the lecture says: MC dropout's uncertainty is larger out of distribution."
                : "The claim does NOT hold for every out-of-distribution kind in this run.");
        return b.toString();
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }
}
