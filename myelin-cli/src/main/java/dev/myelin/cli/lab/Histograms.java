package dev.myelin.cli.lab;

import dev.myelin.cli.report.Chart;
import java.util.Map;

/** Histogram panels of parameter values, one line per run (bin centres against counts). */
final class Histograms {
    private Histograms() {
    }

    /** Counts of the values in {@code bins} equal bins over [−range, range] (values outside go to the end bins). */
    static Chart values(Map<String, float[]> runs, double range, int bins) {
        Chart c = Chart.of("first-layer weights after training", "weight value", "count");
        runs.forEach((run, w) -> {
            double[] counts = new double[bins];
            for (float v : w) {
                int b = (int) Math.floor((v + range) / (2 * range) * bins);
                counts[Math.max(0, Math.min(bins - 1, b))]++;
            }
            c.line(run, centres(-range, range, bins), counts);
        });
        return c;
    }

    /** Counts of log10|w| in {@code bins} bins over [lo, hi]; w = 0 and |w| below 10^lo go to the first bin. */
    static Chart log10Magnitudes(Map<String, float[]> runs, double lo, double hi, int bins) {
        Chart c = Chart.of("first-layer weights: magnitude", "log10 |w|", "count");
        runs.forEach((run, w) -> {
            double[] counts = new double[bins];
            for (float v : w) {
                double l = v == 0 ? lo : Math.log10(Math.abs(v));
                int b = (int) Math.floor((l - lo) / (hi - lo) * bins);
                counts[Math.max(0, Math.min(bins - 1, b))]++;
            }
            c.line(run, centres(lo, hi, bins), counts);
        });
        return c;
    }

    private static double[] centres(double lo, double hi, int bins) {
        double[] x = new double[bins];
        for (int i = 0; i < bins; i++) {
            x[i] = lo + (i + 0.5) * (hi - lo) / bins;
        }
        return x;
    }
}
