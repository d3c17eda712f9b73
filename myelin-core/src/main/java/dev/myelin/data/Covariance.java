package dev.myelin.data;

import dev.myelin.kernel.KernelProvider;
import dev.myelin.kernel.Kernels;

/**
 * The mean and the population covariance of a data set's feature vectors:
 *
 * <pre>
 * μ = (1/N) Σᵢ xᵢ,    C = (1/N) Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ = (1/N) X̄ᵀ X̄
 * </pre>
 *
 * <p>X̄ is the centred N×D data matrix. The mean is summed in double precision; X̄ᵀX̄ is computed by
 * the GEMM kernel in float32 over blocks of {@value #BLOCK} samples, and the blocks' products are
 * summed in double, so rounding error grows with the block length, not with N (60,000
 * Fashion-MNIST images give C to about 1e-6 relative). Divides by N like numpy's
 * {@code np.cov(X.T, bias=True)} and the lectures' {@code X @ X.T / N}, not by N − 1.
 *
 * @param mean    μ, D values
 * @param matrix  C, D×D row-major
 * @param samples N
 */
public record Covariance(double[] mean, double[] matrix, int samples) {
    /** Samples per float32 GEMM block. */
    static final int BLOCK = 1024;

    /** The covariance of {@code data}'s feature vectors (flattened); at least 1 sample. */
    public static Covariance of(Dataset data) {
        int n = data.size();
        if (n == 0) {
            throw new DataException("Covariance: cannot fit on an empty training set; expected at least 1 sample");
        }
        int d = data.featureSize();
        double[] mean = mean(data);
        float[] mu = new float[d];
        for (int j = 0; j < d; j++) {
            mu[j] = (float) mean[j];
        }
        double[] c = new double[Math.multiplyExact(d, d)];
        float[] block = new float[Math.multiplyExact(Math.min(BLOCK, n), d)];
        float[] product = new float[d * d];
        Kernels k = KernelProvider.get();
        for (int start = 0; start < n; start += BLOCK) {
            int rows = Math.min(BLOCK, n - start);
            centredRows(data, start, rows, mu, block);
            k.gemm(true, false, d, d, rows, block, 0, d, block, 0, d, 0f, product, 0, d);
            for (int j = 0; j < c.length; j++) {
                c[j] += product[j];
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                // average the two triangles: the float GEMM need not round them identically
                double v = (c[i * d + j] + c[j * d + i]) / (2.0 * n);
                c[i * d + j] = v;
                c[j * d + i] = v;
            }
        }
        return new Covariance(mean, c, n);
    }

    /** The number of features D. */
    public int features() {
        return mean.length;
    }

    /** Entry (i, j) of C. */
    public double get(int i, int j) {
        return matrix[i * mean.length + j];
    }

    /** Samples {@code start .. start+rows-1} of {@code data}, minus {@code mean}, into {@code block} (row-major). */
    static void centredRows(Dataset data, int start, int rows, float[] mean, float[] block) {
        int d = mean.length;
        for (int i = 0; i < rows; i++) {
            data.features(start + i, block, i * d);
            for (int j = 0; j < d; j++) {
                block[i * d + j] -= mean[j];
            }
        }
    }

    /** The per-feature mean, summed in double precision. */
    static double[] mean(Dataset data) {
        int n = data.size();
        int d = data.featureSize();
        double[] sum = new double[d];
        float[] row = new float[d];
        for (int i = 0; i < n; i++) {
            data.features(i, row, 0);
            for (int j = 0; j < d; j++) {
                sum[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            sum[j] /= n;
        }
        return sum;
    }
}
