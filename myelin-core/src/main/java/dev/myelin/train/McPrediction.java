package dev.myelin.train;

import dev.myelin.tensor.Tensor;

/**
 * The result of {@link McDropout#predict}: per sample and class, the mean and the standard
 * deviation over T stochastic forward passes.
 * <pre>
 * mean_ic = (1/T) Σ_t p_t,ic          std_ic = sqrt((1/T) Σ_t p_t,ic² − mean_ic²)
 * </pre>
 * The standard deviation is the population one (divisor T), the square root of Gal &amp;
 * Ghahramani's (2016) predictive variance estimate without the model-precision term.
 * Shape: mean and std [N, C].
 *
 * @param samples T, the number of passes
 */
public record McPrediction(Tensor mean, Tensor std, int samples) {

    /** The number of samples N. */
    public int size() {
        return mean.size(0);
    }

    /** The number of classes (or outputs) C. */
    public int classes() {
        return mean.numel() / Math.max(1, size());
    }

    /** The predicted class of each sample: the argmax of the mean probabilities. */
    public int[] predictedClasses() {
        int n = size();
        int c = classes();
        float[] m = mean.data();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (m[i * c + j] > m[i * c + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Each sample's spread: the standard deviation averaged over its classes, (1/C) Σ_c std_ic. */
    public double[] meanSpread() {
        int n = size();
        int c = classes();
        float[] s = std.data();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += s[i * c + j];
            }
            out[i] = sum / c;
        }
        return out;
    }

    /**
     * Each sample's predictive entropy H[mean] = −Σ_c mean_ic ln mean_ic (nats), the total
     * uncertainty of the averaged prediction (Gal 2016, thesis §3.3.1); meaningful for probabilities.
     */
    public double[] predictiveEntropy() {
        int n = size();
        int c = classes();
        float[] m = mean.data();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double h = 0;
            for (int j = 0; j < c; j++) {
                double p = m[i * c + j];
                h -= p > 0 ? p * Math.log(p) : 0;
            }
            out[i] = h;
        }
        return out;
    }
}
