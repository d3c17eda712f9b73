package dev.myelin.cli.lab;

/**
 * A reliability diagram of predicted probabilities against 0/1 outcomes (Guo et al., "On
 * calibration of modern neural networks", 2017): the predictions are binned into equal-width
 * bins of [0, 1]; per bin, the mean prediction and the observed frequency of 1s. The expected
 * calibration error is ECE = &Sigma;_bins (n_bin / n) |mean prediction &minus; frequency|; a calibrated
 * p(y = 1 | x) has ECE near the sampling noise. An empty bin has NaN for both.
 */
record Reliability(double[] predicted, double[] observed, int[] counts, double error) {
    static Reliability of(double[] p, float[] outcome, int bins) {
        double[] sumP = new double[bins];
        double[] sumY = new double[bins];
        int[] n = new int[bins];
        for (int i = 0; i < p.length; i++) {
            int bin = Math.min(bins - 1, (int) (p[i] * bins));
            sumP[bin] += p[i];
            sumY[bin] += outcome[i];
            n[bin]++;
        }
        double[] predicted = new double[bins];
        double[] observed = new double[bins];
        double ece = 0;
        for (int k = 0; k < bins; k++) {
            predicted[k] = n[k] == 0 ? Double.NaN : sumP[k] / n[k];
            observed[k] = n[k] == 0 ? Double.NaN : sumY[k] / n[k];
            ece += n[k] == 0 ? 0 : (double) n[k] / p.length * Math.abs(predicted[k] - observed[k]);
        }
        return new Reliability(predicted, observed, n, ece);
    }
}
