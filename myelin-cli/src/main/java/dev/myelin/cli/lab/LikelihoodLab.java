package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.report.Chart;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab likelihood}: "Deep Feedforward Networks", "Cost Function" to "Softmax"
 * (Goodfellow et al. 2016, section 6.2): each loss is the negative log-likelihood of a noise
 * model, and so decides what the output estimates. Mean squared error (Gaussian) fits the
 * conditional mean, the absolute error (Laplace) the conditional median, the Bernoulli
 * likelihood (sigmoid + binary cross-entropy) a calibrated p(y = 1 | x), and a Gaussian with a
 * learned variance ({@link Loss#gaussianNll}; Nix &amp; Weigend 1994) the mean and the variance.
 *
 * <p>The data are skewed on purpose, so that the mean and the median differ: x ~ U(0, 1) and
 * y = sin(2&pi;x)/2 + e with e exponential of scale s(x) = 0.2 + 0.8x. Then
 * E[y | x] = sin(2&pi;x)/2 + s(x), the median is sin(2&pi;x)/2 + s(x) ln 2, Var[y | x] = s(x)&sup2;,
 * and the binary target b = [e &gt; 0.3] has p(b = 1 | x) = exp(&minus;0.3/s(x)). The same MLP
 * (1-64-64, tanh) is fitted under each loss, and each fit is compared with these truths.
 */
public final class LikelihoodLab implements Experiment {
    static final int TRAIN = 4000;
    static final int TEST = 10_000;
    static final int GRID = 200;
    static final double CUT = 0.3;
    /** The reliability diagram's bins. */
    static final int BINS = 10;
    /** How far above the true probabilities' own calibration error (the sample's noise floor) a fit may be and count as calibrated. */
    static final double CALIBRATION_SLACK = 0.02;

    @Override
    public boolean takesSets() {
        return false;
    }

    @Override
    public String name() {
        return "likelihood";
    }

    @Override
    public String description() {
        return "losses from maximum likelihood on a skewed target: MSE fits the mean, L1 the median, BCE a calibrated"
                + " p(y=1|x), the Gaussian NLL the variance";
    }

    /** Skewed samples: inputs x [n, 1], values y [n, 1], binary targets b [n, 1]. */
    record Sample(float[] x, float[] y, float[] b) {
        static Sample draw(Rng rng, int n) {
            float[] x = new float[n];
            float[] y = new float[n];
            float[] b = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) rng.nextDouble();
                double e = -scale(x[i]) * Math.log(1 - rng.nextDouble());
                y[i] = (float) (center(x[i]) + e);
                b[i] = e > CUT ? 1 : 0;
            }
            return new Sample(x, y, b);
        }

        Tensor inputs() {
            return Tensor.of(x, x.length, 1);
        }
    }

    static double center(double x) {
        return Math.sin(2 * Math.PI * x) / 2;
    }

    static double scale(double x) {
        return 0.2 + 0.8 * x;
    }

    static double mean(double x) {
        return center(x) + scale(x);
    }

    static double median(double x) {
        return center(x) + scale(x) * Math.log(2);
    }

    static double probability(double x) {
        return Math.exp(-CUT / scale(x));
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        Rng rng = ctx.rng();
        Sample train = Sample.draw(rng.split("train"), ctx.quick() ? 500 : TRAIN);
        Sample test = Sample.draw(rng.split("test"), ctx.quick() ? 1000 : TEST);
        FitLoop loop = new FitLoop(ctx.quick() ? 150 : 3000, 256, 0.003);
        Tensor x = train.inputs();
        Tensor y = Tensor.of(train.y(), train.y().length, 1);
        Tensor b = Tensor.of(train.b(), train.b().length, 1);
        Map<String, Module> fits = new LinkedHashMap<>();
        fits.put("mse", fit(loop, x, y, Loss.mse(), 1, rng.split("mse")));
        fits.put("l1", fit(loop, x, y, Loss.l1(), 1, rng.split("l1")));
        fits.put("gaussian_nll", fit(loop, x, y, Loss.gaussianNll(Loss.GaussianNllOptions.defaults()), 2,
                rng.split("gaussian_nll")));
        fits.put("bce_with_logits", fit(loop, x, b, Loss.binaryCrossEntropyWithLogits(), 1, rng.split("bce")));
        ctx.log("fitted the MLP under mse, l1, gaussian_nll and bce_with_logits on %d samples", train.x().length);

        double[] gx = new double[GRID];
        float[] gxf = new float[GRID];
        for (int i = 0; i < GRID; i++) {
            gx[i] = (i + 0.5) / GRID;
            gxf[i] = (float) gx[i];
        }
        Tensor grid = Tensor.of(gxf, GRID, 1);
        double[] mseFit = column(FitLoop.evaluate(fits.get("mse"), grid), 1, 0);
        double[] l1Fit = column(FitLoop.evaluate(fits.get("l1"), grid), 1, 0);
        float[] nllOut = FitLoop.evaluate(fits.get("gaussian_nll"), grid);
        double[] nllMean = column(nllOut, 2, 0);
        double[] nllStd = java.util.Arrays.stream(toDouble(Loss.gaussianVariance(Tensor.of(nllOut, GRID, 2)).toArray()))
                .map(Math::sqrt).toArray();
        double[] trueMean = java.util.Arrays.stream(gx).map(LikelihoodLab::mean).toArray();
        double[] trueMedian = java.util.Arrays.stream(gx).map(LikelihoodLab::median).toArray();
        double[] trueStd = java.util.Arrays.stream(gx).map(LikelihoodLab::scale).toArray();

        Figures f = new Figures(rms(mseFit, trueMean), rms(mseFit, trueMedian), rms(l1Fit, trueMedian),
                rms(l1Fit, trueMean), rms(nllMean, trueMean), relativeRms(nllStd, trueStd),
                relativeRms(constant(trueStd.length, residualStd(fits.get("mse"), train)), trueStd),
                Reliability.of(probabilities(fits.get("bce_with_logits"), test), test.b(), BINS),
                Reliability.of(java.util.Arrays.stream(toDouble(test.x())).map(LikelihoodLab::probability).toArray(),
                        test.b(), BINS));
        write(ctx, gx, mseFit, l1Fit, nllMean, nllStd, trueMean, trueMedian, trueStd, f);
        return ctx.verdict(judge(f));
    }

    /** What the lab measured: RMS distances over the grid, relative errors of the std, and calibration. */
    record Figures(double mseToMean, double mseToMedian, double l1ToMedian, double l1ToMean, double nllToMean,
                   double nllStdError, double constantStdError, Reliability bce, Reliability truth) {
    }

    private static Module fit(FitLoop loop, Tensor x, Tensor y, Loss loss, int outputs, Rng rng) {
        Sequential m = new Sequential(new Linear(1, 64, rng.split("l0")), Activation.tanh(),
                new Linear(64, 64, rng.split("l1")), Activation.tanh(), new Linear(64, outputs, rng.split("l2")));
        loop.train(m, x, y, loss, rng.split("batches"));
        return m;
    }

    /** The standard deviation of the MSE fit's residuals on the training data: the best one variance for all x. */
    private static double residualStd(Module mse, Sample train) {
        float[] p = FitLoop.evaluate(mse, train.inputs());
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += (train.y()[i] - p[i]) * (double) (train.y()[i] - p[i]);
        }
        return Math.sqrt(s / p.length);
    }

    private static double[] probabilities(Module bce, Sample test) {
        float[] z = FitLoop.evaluate(bce, test.inputs());
        return java.util.Arrays.stream(toDouble(z)).map(v -> 1 / (1 + Math.exp(-v))).toArray();
    }

    private void write(LabContext ctx, double[] gx, double[] mseFit, double[] l1Fit, double[] nllMean,
                       double[] nllStd, double[] trueMean, double[] trueMedian, double[] trueStd, Figures f)
            throws java.io.IOException {
        Table table = new Table();
        for (int i = 0; i < gx.length; i++) {
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("x", gx[i]);
            row.put("mse", mseFit[i]);
            row.put("l1", l1Fit[i]);
            row.put("nll_mean", nllMean[i]);
            row.put("nll_std", nllStd[i]);
            row.put("true_mean", trueMean[i]);
            row.put("true_median", trueMedian[i]);
            row.put("true_std", trueStd[i]);
            table.add("grid", row);
        }
        for (int i = 0; i < BINS; i++) {
            table.add("reliability", Map.of("bin", i, "predicted", f.bce().predicted()[i],
                    "observed", f.bce().observed()[i], "count", f.bce().counts()[i]));
        }
        table.write(ctx.file(RunFolder.METRICS));
        double[] diag = {0, 1};
        Chart.save(ctx.file("likelihood.png"), 2, List.of(
                Chart.of("MSE fits the mean, L1 the median", "x", "y").line("true mean", gx, trueMean)
                        .line("true median", gx, trueMedian).line("mse", gx, mseFit).line("l1", gx, l1Fit),
                Chart.of("Gaussian NLL: the learned standard deviation", "x", "std of y given x")
                        .line("true std", gx, trueStd).line("gaussian_nll", gx, nllStd),
                Chart.of("reliability of the BCE fit (test samples)", "predicted p(y=1|x)", "observed frequency")
                        .line("perfect", diag, diag).points("bce_with_logits", f.bce().predicted(), f.bce().observed())));
        ObjectNode s = ctx.summary();
        LabContext.number(s, "mse_rms_to_mean", f.mseToMean());
        LabContext.number(s, "mse_rms_to_median", f.mseToMedian());
        LabContext.number(s, "l1_rms_to_median", f.l1ToMedian());
        LabContext.number(s, "l1_rms_to_mean", f.l1ToMean());
        LabContext.number(s, "nll_rms_to_mean", f.nllToMean());
        LabContext.number(s, "nll_std_relative_error", f.nllStdError());
        LabContext.number(s, "constant_std_relative_error", f.constantStdError());
        LabContext.number(s, "bce_expected_calibration_error", f.bce().error());
        LabContext.number(s, "true_probability_calibration_error", f.truth().error());
        s.put("chart", "likelihood.png");
    }

    /** The verdict on each loss's estimate, from the figures. */
    static String judge(Figures f) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "RMS distance over x of each fit: mse %.3f from the true mean, %.3f from the"
                + " median; l1 %.3f from the median, %.3f from the mean.%n", f.mseToMean(), f.mseToMedian(),
                f.l1ToMedian(), f.l1ToMean()));
        b.append(f.mseToMean() < f.mseToMedian() ? "MSE estimates the conditional mean" : "MSE did not land nearer the mean");
        b.append(f.l1ToMedian() < f.l1ToMean() ? ", L1 the conditional median" : ", L1 did not land nearer the median");
        b.append(f.mseToMean() < f.mseToMedian() && f.l1ToMedian() < f.l1ToMean() ? ", as the lecture says.%n"
                .formatted() : ": the effect does not show for both in this run.%n".formatted());
        b.append(String.format(Locale.ROOT, "Gaussian NLL: its mean is %.3f from the true mean; its learned standard"
                + " deviation is off by %.1f%% (RMS, relative), against %.1f%% for the best single standard deviation."
                + " ", f.nllToMean(), 100 * f.nllStdError(), 100 * f.constantStdError()));
        b.append(f.nllStdError() < f.constantStdError() / 2
                ? "The learned variance follows the noise's growth with x."
                : "The learned variance did not follow the noise better than a constant by half: the effect does not"
                + " show.");
        b.append(String.format(Locale.ROOT, "%nBCE: expected calibration error %.3f over %d bins, against %.3f for the"
                        + " true probabilities on the same samples (the noise floor). ", f.bce().error(), BINS,
                f.truth().error()));
        b.append(f.bce().error() <= f.truth().error() + CALIBRATION_SLACK
                ? String.format(Locale.ROOT, "Within %.2f of the floor: the sigmoid output is a calibrated p(y=1|x).",
                CALIBRATION_SLACK)
                : "More than " + CALIBRATION_SLACK + " above the floor: the fit is not calibrated in this run.");
        return b.toString();
    }

    private static double rms(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }

    private static double relativeRms(double[] a, double[] truth) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double r = (a[i] - truth[i]) / truth[i];
            s += r * r;
        }
        return Math.sqrt(s / a.length);
    }

    private static double[] constant(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static double[] column(float[] out, int width, int c) {
        double[] v = new double[out.length / width];
        for (int i = 0; i < v.length; i++) {
            v[i] = out[i * width + c];
        }
        return v;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
