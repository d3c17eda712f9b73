package dev.myelin.cli.lab;

import dev.myelin.cli.report.Chart;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.run.PreparedData;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.data.ArrayDataset;
import dev.myelin.data.Dataset;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.McDropout;
import dev.myelin.train.McPrediction;
import dev.myelin.train.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab mc-dropout} (Huang, "Training Deep Neural Networks": Monte Carlo dropout "uses the
 * dropout model on the test data multiple times while keeping dropout turned on"; Gal &amp;
 * Ghahramani 2016): an MLP with dropout is trained on Fashion-MNIST, then predicts with T
 * stochastic passes on three kinds of input — test images (in distribution), images of uniform
 * noise, and inverted test images (1 − pixel; both out of distribution). Per sample it measures
 * the spread (the standard deviation of the class probabilities over the passes, averaged over
 * the classes) and the predictive entropy of the mean probabilities. The claim: both are larger
 * out of distribution. The chart shows their histograms per input kind. The run is
 * {@code examples/lab/mc-dropout/mlp-dropout.yaml}; the sampling is this lab's verdict, on the
 * trained model and the run's own preprocessing.
 */
public final class McDropoutLab {
    private static final List<String> KINDS = List.of("test images", "uniform noise", "inverted images");
    private static final String RUN = "mlp-dropout";

    /** The lab: one run and quick mode's overrides; the sampling is the verdict's. */
    public static final ConfigLab LAB = new ConfigLab("mc-dropout",
            "Monte Carlo dropout's spread and predictive entropy on Fashion-MNIST test images vs noise and"
                    + " inverted images (out of distribution)",
            List.of(RUN), List.of("data.train_limit=1000", "epochs=2", "model[1].linear.out=64",
                    "model[4].linear.out=64"), List.of(), McDropoutLab::verdict);

    private McDropoutLab() {
    }

    /** One input kind's per-sample figures. */
    private record Measured(String kind, double[] spread, double[] entropy, double[] confidence, double accuracy,
                            double deterministicEntropy) {
    }

    private static String verdict(LabContext ctx, List<LabRun> runs, Table table) throws Exception {
        LabRun r = runs.get(0);
        int samples = ctx.quick() ? 100 : 1000;
        int passes = ctx.quick() ? 10 : 30;
        Rng rng = new Rng(r.config().seed());
        // The test images without the run's preprocessing, to invert them; then all kinds get it
        RunConfig plain = ConfigLoader.load(ctx.file(r.name()).resolve(RunFolder.CONFIG), List.of("data.preprocess=[]"),
                ctx.dataDir());
        ArrayDataset test = ArrayDataset.copyOf(ArrayDataset.firstOf(
                PreparedData.load(plain.data(), plain.source(), rng, null).test(), samples));
        ctx.log("T = %d passes on %d samples of each input kind", passes, samples);
        List<Dataset> inputs = List.of(test, noise(samples, rng.split("noise")), inverted(test));
        Sequential model = r.result().model();
        Trainer trainer = new Trainer(model, Loss.crossEntropy());
        List<Measured> results = new ArrayList<>();
        for (int k = 0; k < KINDS.size(); k++) {
            results.add(measure(KINDS.get(k), model, trainer, ArrayDataset.copyOf(r.preprocessing().apply(inputs.get(k))),
                    passes, rng.split("mc-dropout").split(KINDS.get(k)), k == 0));
        }
        results.forEach(m -> table.add(m.kind(), figures(m)));
        chart(ctx, results);
        summarize(ctx, samples, passes, results);
        return verdict(passes, samples, results);
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

    private static void summarize(LabContext ctx, int samples, int passes, List<Measured> results) {
        ObjectNode o = ctx.summary();
        o.put("samples_per_kind", samples).put("passes", passes);
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

    private static String verdict(int passes, int samples, List<Measured> r) {
        Measured in = r.get(0);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "T = %d passes; test accuracy of the MC mean on %d test images: %.4f.%n", passes, samples,
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
