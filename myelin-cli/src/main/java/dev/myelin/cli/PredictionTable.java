package dev.myelin.cli;

import dev.myelin.train.McPrediction;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * How {@code myelin predict} shows its predictions: on the console a readable block per sample
 * (with Monte Carlo dropout: the per-class means and spreads under the class names) and a last
 * line of totals; as CSV one row per sample.
 *
 * @param p          per sample and class (or output) the mean and, with Monte Carlo dropout, the spread
 * @param mc         whether {@code p} comes from T stochastic passes (else std is 0 and not shown)
 * @param labels     the true labels (class indices or target values), null when unknown
 * @param classes    the number of classes, 0 for regression (then {@code p} holds the predicted value)
 * @param className  the text of class k
 */
record PredictionTable(McPrediction p, boolean mc, float[] labels, int classes, IntFunction<String> className) {

    /** Prints the first {@code show} samples and the totals. */
    void print(PrintStream out, int show) {
        int n = p.size();
        int[] pred = classes > 0 ? p.predictedClasses() : null;
        double[] entropy = classes > 0 ? p.predictiveEntropy() : null;
        double[] spread = p.meanSpread();
        for (int i = 0; i < Math.min(show, n); i++) {
            if (classes == 0) {
                out.printf(Locale.ROOT, "sample %d: prediction %.4f%s%s%n", i, p.mean().data()[i],
                        mc ? String.format(Locale.ROOT, " ± %.4f", p.std().data()[i]) : "",
                        labels == null ? "" : String.format(Locale.ROOT, ", true %.4f", labels[i]));
                continue;
            }
            float pm = p.mean().data()[i * classes + pred[i]];
            out.printf(Locale.ROOT, "sample %d: predicted %s%s; p = %.3f%s; predictive entropy %.3f nats%n", i,
                    className.apply(pred[i]), truth(i, pred[i]), pm,
                    mc ? String.format(Locale.ROOT, " ± %.3f", p.std().data()[i * classes + pred[i]]) : "", entropy[i]);
            if (mc) {
                printClasses(out, i);
            }
        }
        if (show < n) {
            out.printf(Locale.ROOT, "(%d of %d samples shown; --limit N shows more, --out FILE.csv writes them all)%n",
                    show, n);
        }
        out.println(totals(pred, spread, entropy));
    }

    private String truth(int i, int predicted) {
        if (labels == null) {
            return "";
        }
        int t = (int) labels[i];
        return ", true " + className.apply(t) + (t == predicted ? " (correct)" : " (wrong)");
    }

    /** The class names, then the means, then the spreads, in aligned columns. */
    private void printClasses(PrintStream out, int i) {
        int w = 6;
        for (int k = 0; k < classes; k++) {
            w = Math.max(w, className.apply(k).length());
        }
        StringBuilder names = new StringBuilder("  class ");
        StringBuilder mean = new StringBuilder("  mean  ");
        StringBuilder std = new StringBuilder("  spread");
        for (int k = 0; k < classes; k++) {
            names.append(String.format(Locale.ROOT, " %" + w + "s", className.apply(k)));
            mean.append(String.format(Locale.ROOT, " %" + w + ".3f", p.mean().data()[i * classes + k]));
            std.append(String.format(Locale.ROOT, " %" + w + ".3f", p.std().data()[i * classes + k]));
        }
        out.println(names);
        out.println(mean);
        out.println(std);
    }

    private String totals(int[] pred, double[] spread, double[] entropy) {
        int n = p.size();
        StringBuilder b = new StringBuilder();
        if (labels != null && pred != null) {
            int hits = 0;
            for (int i = 0; i < n; i++) {
                hits += pred[i] == (int) labels[i] ? 1 : 0;
            }
            b.append(String.format(Locale.ROOT, "accuracy %.4f on %d labeled samples", (double) hits / n, n));
        } else if (labels != null) {
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double e = p.mean().data()[i] - labels[i];
                sq += e * e;
            }
            b.append(String.format(Locale.ROOT, "RMSE %.4f on %d labeled samples", Math.sqrt(sq / n), n));
        } else {
            b.append(n).append(" samples");
        }
        if (mc) {
            b.append(String.format(Locale.ROOT, "; mean spread %.4f", mean(spread)));
        }
        if (entropy != null) {
            b.append(String.format(Locale.ROOT, "; mean predictive entropy %.4f nats", mean(entropy)));
        }
        return b.toString();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    /**
     * Writes one row per sample: {@code sample, [label,] predicted, p_0..p_{C-1}, [std_0.., entropy]}
     * for classification (label and predicted as class texts), {@code sample, [label,] prediction, [std]}
     * for regression.
     */
    void writeCsv(Path file) throws IOException {
        int[] pred = classes > 0 ? p.predictedClasses() : null;
        double[] entropy = classes > 0 ? p.predictiveEntropy() : null;
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(csvHeader());
            for (int i = 0; i < p.size(); i++) {
                StringBuilder b = new StringBuilder().append(i);
                if (labels != null) {
                    b.append(',').append(classes > 0 ? quote(className.apply((int) labels[i])) : num(labels[i]));
                }
                if (classes > 0) {
                    b.append(',').append(quote(className.apply(pred[i])));
                }
                int c = Math.max(1, classes);
                for (int k = 0; k < c; k++) {
                    b.append(',').append(num(p.mean().data()[i * c + k]));
                }
                for (int k = 0; mc && k < c; k++) {
                    b.append(',').append(num(p.std().data()[i * c + k]));
                }
                if (entropy != null) {
                    b.append(',').append(num(entropy[i]));
                }
                w.write(b.append('\n').toString());
            }
        }
    }

    private String csvHeader() {
        StringBuilder b = new StringBuilder("sample");
        if (labels != null) {
            b.append(",label");
        }
        if (classes == 0) {
            return b.append(",prediction").append(mc ? ",std" : "").append('\n').toString();
        }
        b.append(",predicted");
        for (int k = 0; k < classes; k++) {
            b.append(",p_").append(k);
        }
        for (int k = 0; mc && k < classes; k++) {
            b.append(",std_").append(k);
        }
        return b.append(",entropy\n").toString();
    }

    private static String num(double v) {
        return Float.toString((float) v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
