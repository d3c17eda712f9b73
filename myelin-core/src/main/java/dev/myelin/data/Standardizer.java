package dev.myelin.data;

import java.util.Arrays;

/**
 * Standardizes features with statistics of the training set only:
 *
 * <pre>
 * x' = (x - mean) / std,   mean = (1/N) sum x,   std = sqrt((1/N) sum (x - mean)^2)
 * </pre>
 *
 * <p>Two modes. Scalar: one mean and one std over every feature value of every training sample
 * (what BENCHMARKS.md does for Fashion-MNIST pixels, like {@code (x - x.mean()) / x.std()} over
 * the training tensor). Per feature: a mean and std for each feature position (scikit-learn's
 * {@code StandardScaler}, for tables). The std is the population one (divide by N, as
 * scikit-learn and numpy; {@code torch.std} divides by N-1, a difference of 1 part in N). A
 * feature with std 0 (constant in training) keeps std 1, so it becomes {@code x - mean}
 * instead of a division by zero. Sums are in double precision, two passes.
 *
 * <p>{@link #mean()} and {@link #std()} are what to save with a model; {@link #of} rebuilds the
 * standardizer from them.
 */
public final class Standardizer implements Preprocessor {
    private final float[] mean;
    private final float[] std;

    private Standardizer(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * A standardizer from saved statistics: length 1 for scalar mode, else one value per feature.
     * Zero std values are replaced by 1.
     */
    public static Standardizer of(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Standardizer: expected mean and std of the same non-zero length,"
                    + " received " + mean.length + " and " + std.length);
        }
        float[] s = std.clone();
        for (int i = 0; i < s.length; i++) {
            if (!(s[i] >= 0) || !Float.isFinite(mean[i])) {
                throw new IllegalArgumentException("Standardizer: expected finite mean and std >= 0, received mean "
                        + mean[i] + ", std " + s[i] + " at feature " + i);
            }
            s[i] = s[i] == 0 ? 1 : s[i];
        }
        return new Standardizer(mean.clone(), s);
    }

    /** One mean and std over all feature values of {@code train}. */
    public static Standardizer fitScalar(Dataset train) {
        int n = requireSamples(train);
        int d = train.featureSize();
        float[] row = new float[d];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            train.features(i, row, 0);
            for (float v : row) {
                sum += v;
            }
        }
        double count = (double) n * d;
        double m = sum / count;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            train.features(i, row, 0);
            for (float v : row) {
                sq += (v - m) * (v - m);
            }
        }
        return of(new float[] {(float) m}, new float[] {(float) Math.sqrt(sq / count)});
    }

    /** A mean and std for each feature position, over the samples of {@code train}. */
    public static Standardizer fitPerFeature(Dataset train) {
        int n = requireSamples(train);
        int d = train.featureSize();
        float[] row = new float[d];
        double[] m = Covariance.mean(train);
        double[] sq = new double[d];
        for (int i = 0; i < n; i++) {
            train.features(i, row, 0);
            for (int j = 0; j < d; j++) {
                double c = row[j] - m[j];
                sq[j] += c * c;
            }
        }
        float[] mean = new float[d];
        float[] std = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] = (float) m[j];
            std[j] = (float) Math.sqrt(sq[j] / n);
        }
        return of(mean, std);
    }

    /** True for one mean/std over all features, false for one per feature. */
    public boolean isScalar() {
        return mean.length == 1;
    }

    /** The means (length 1 in scalar mode); a copy. */
    public float[] mean() {
        return mean.clone();
    }

    /** The standard deviations used for dividing, zeros already replaced by 1 (length 1 in scalar mode); a copy. */
    public float[] std() {
        return std.clone();
    }

    @Override
    public String describe() {
        return isScalar() ? "standardize(scalar)" : "standardize(per-feature, " + mean.length + " features)";
    }

    /** The same shape: standardization keeps every feature where it is. */
    @Override
    public int[] outputShape(int[] inputShape) {
        checkWidth(ArrayDataset.product(inputShape), "outputShape");
        return inputShape.clone();
    }

    /** A standardized copy of {@code data} (any split: training, validation, test). */
    @Override
    public ArrayDataset apply(Dataset data) {
        int d = data.featureSize();
        checkWidth(d, "apply");
        int n = data.size();
        float[] x = new float[Math.multiplyExact(n, d)];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            data.features(i, x, i * d);
            transform(x, i * d, d);
            y[i] = data.label(i);
        }
        return new ArrayDataset(x, data.featureShape(), y, data.numClasses());
    }

    /** Standardizes, in place, {@code count} feature values of one or more samples starting at {@code off}. */
    public void transform(float[] x, int off, int count) {
        if (isScalar()) {
            float m = mean[0];
            float inv = 1f / std[0];
            for (int i = off; i < off + count; i++) {
                x[i] = (x[i] - m) * inv;
            }
            return;
        }
        if (count % mean.length != 0) {
            throw new DataException("Standardizer.transform: fitted on " + mean.length + " features per sample,"
                    + " received " + count + " values, not a whole number of samples");
        }
        for (int i = 0; i < count; i++) {
            int j = i % mean.length;
            x[off + i] = (x[off + i] - mean[j]) / std[j];
        }
    }

    private void checkWidth(int featureSize, String where) {
        if (!isScalar() && featureSize != mean.length) {
            throw new DataException("Standardizer." + where + ": fitted on " + mean.length
                    + " features per sample, received " + featureSize + "; fit it on data of the same shape");
        }
    }

    private static int requireSamples(Dataset train) {
        if (train.size() == 0) {
            throw new DataException("Standardizer: cannot fit on an empty training set; expected at least 1 sample");
        }
        return train.size();
    }

    @Override
    public String toString() {
        return isScalar() ? "Standardizer(mean=" + mean[0] + ", std=" + std[0] + ")"
                : "Standardizer(per feature, " + mean.length + " features, mean=" + Arrays.toString(mean) + ")";
    }
}
