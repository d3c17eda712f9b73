package dev.myelin.data;

import dev.myelin.kernel.KernelProvider;
import dev.myelin.linalg.SymmetricEigen;
import java.util.Arrays;
import java.util.Locale;

/**
 * Centring followed by a linear map onto (scaled) principal axes of the training data:
 * PCA, PCA whitening and ZCA whitening. With the training covariance
 * {@code C = U diag(λ) Uᵀ} (see {@link Covariance}; eigenvalues descending, eigenvectors
 * the columns of U) and the training mean μ:
 *
 * <pre>
 * pca         x' = U_kᵀ (x − μ)                              k outputs, covariance diag(λ₁..λ_k)
 * pca_whiten  x' = diag(1/√(λ_k + ε)) U_kᵀ (x − μ)           k outputs, covariance ≈ I_k
 * zca         x' = U diag(1/√(λ + ε)) Uᵀ (x − μ)             D outputs, covariance ≈ I_D
 * </pre>
 *
 * <p>U_k holds the first k columns of U. PCA rotates the data onto its principal axes and keeps
 * the k of largest variance; whitening also divides each axis by its standard deviation (the
 * lectures, training-dnns-tricks: "Whitening: PCA + normalize the coordinates by singular values";
 * LeCun et al., "Efficient BackProp", 1998, section 4.3: decorrelate, then equalize the
 * covariances). ZCA rotates the whitened data back to the input axes (Bell and Sejnowski, "The
 * 'independent components' of natural scenes are edge filters", Vision Research 1997; Krizhevsky,
 * "Learning Multiple Layers of Features from Tiny Images", 2009, appendix A): of all whitening
 * matrices it is the symmetric one, and the one whose output stays closest to the input in mean
 * squared distance, so images stay images and the sample shape is kept. ε (default 1e-5, as
 * Stanford CS231n) keeps directions of near-zero variance from being blown up: the whitened
 * covariance is {@code diag(λ/(λ+ε))}, identity only where λ ≫ ε. Negative eigenvalues from
 * rounding are taken as 0.
 *
 * <p>Differences: the lecture's numpy code divides by the singular values {@code S} of the data
 * matrix, which are {@code √(N λ)}; this class divides by √λ so that whitened features have unit
 * variance (as scikit-learn's {@code PCA(whiten=True)}, which uses N − 1 where this uses N).
 * The map is stored in float32 as {@code W} (k×D) and {@code μ}; it is applied as one GEMM per block
 * of samples. Each eigenvector's sign is fixed (largest entry positive), so a fit is reproducible.
 */
public final class Projection implements Preprocessor {
    /** Which map a projection is. */
    public enum Kind {
        PCA("pca"), PCA_WHITEN("pca_whiten"), ZCA("zca");

        private final String configName;

        Kind(String configName) {
            this.configName = configName;
        }

        /** The name in configs and checkpoints: {@code pca}, {@code pca_whiten}, {@code zca}. */
        public String configName() {
            return configName;
        }

        /** The kind called {@code name} in a config or checkpoint, or null. */
        public static Kind named(String name) {
            for (Kind k : values()) {
                if (k.configName.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** The default ε of the whitening maps. */
    public static final double DEFAULT_EPS = 1e-5;
    /** Samples per GEMM block when applying. */
    private static final int BLOCK = 1024;

    private final Kind kind;
    private final double eps;
    private final float[] mean;
    private final float[] matrix;
    private final int outputs;

    private Projection(Kind kind, double eps, float[] mean, float[] matrix) {
        this.kind = kind;
        this.eps = eps;
        this.mean = mean;
        this.matrix = matrix;
        this.outputs = matrix.length / mean.length;
    }

    /** PCA onto the {@code components} axes of largest training variance (1..D). */
    public static Projection pca(Dataset train, int components) {
        return fit(Kind.PCA, train, components, 0);
    }

    /** PCA whitening: PCA onto {@code components} axes, each divided by √(λ + ε). */
    public static Projection pcaWhiten(Dataset train, int components, double eps) {
        return fit(Kind.PCA_WHITEN, train, components, eps);
    }

    /** ZCA whitening: {@code U diag(1/√(λ+ε)) Uᵀ}, all D features, sample shape kept. */
    public static Projection zca(Dataset train, double eps) {
        return fit(Kind.ZCA, train, train.featureSize(), eps);
    }

    /**
     * A projection from saved parts: {@code mean} (D values) and {@code matrix} (k×D, row-major), as
     * {@link #mean()} and {@link #matrix()} return them.
     */
    public static Projection of(Kind kind, double eps, float[] mean, float[] matrix) {
        int d = mean.length;
        if (d == 0 || matrix.length == 0 || matrix.length % d != 0) {
            throw new IllegalArgumentException(kind.configName() + ": expected a mean of D > 0 values and a k×D matrix,"
                    + " received " + d + " mean values and " + matrix.length + " matrix values");
        }
        if (kind == Kind.ZCA && matrix.length != d * d) {
            throw new IllegalArgumentException("zca: expected a square " + d + "×" + d + " matrix, received "
                    + matrix.length + " values");
        }
        for (float v : matrix) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(kind.configName() + ": expected finite matrix entries, received " + v);
            }
        }
        return new Projection(kind, eps, mean.clone(), matrix.clone());
    }

    private static Projection fit(Kind kind, Dataset train, int components, double eps) {
        int d = train.featureSize();
        if (components < 1 || components > d) {
            throw new DataException(kind.configName() + ": expected components in 1.." + d + " (the number of input"
                    + " features), received " + components + "; choose at most " + d);
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new DataException(kind.configName() + ": expected eps >= 0, received " + eps);
        }
        Covariance cov = Covariance.of(train);
        SymmetricEigen e = SymmetricEigen.of(cov.matrix(), d);
        double[] scale = new double[components];
        for (int i = 0; i < components; i++) {
            scale[i] = kind == Kind.PCA ? 1 : 1 / Math.sqrt(Math.max(e.value(i), 0) + eps);
            if (!Double.isFinite(scale[i])) {
                throw new DataException(kind.configName() + ": principal axis " + i + " has variance "
                        + e.value(i) + " in the training data, and eps is 0: cannot divide by its standard deviation;"
                        + " set eps > 0 (e.g. eps: 1e-5) or keep fewer components");
            }
        }
        float[] w = kind == Kind.ZCA ? symmetric(e, scale) : rows(e, scale);
        float[] mu = new float[d];
        for (int j = 0; j < d; j++) {
            mu[j] = (float) cov.mean()[j];
        }
        return new Projection(kind, eps, mu, w);
    }

    /** W = diag(scale) U_kᵀ: row i is eigenvector i times scale[i]. */
    private static float[] rows(SymmetricEigen e, double[] scale) {
        int d = e.size();
        float[] w = new float[scale.length * d];
        for (int i = 0; i < scale.length; i++) {
            for (int j = 0; j < d; j++) {
                w[i * d + j] = (float) (scale[i] * e.vector(i, j));
            }
        }
        return w;
    }

    /** W = U diag(scale) Uᵀ, in double, rounded once. */
    private static float[] symmetric(SymmetricEigen e, double[] scale) {
        int d = e.size();
        double[][] u = e.vectors();
        float[] w = new float[d * d];
        double[] row = new double[d];
        for (int a = 0; a < d; a++) {
            Arrays.fill(row, 0);
            for (int i = 0; i < d; i++) {
                double f = u[i][a] * scale[i];
                double[] ui = u[i];
                for (int b = 0; b < d; b++) {
                    row[b] += f * ui[b];
                }
            }
            for (int b = 0; b < d; b++) {
                w[a * d + b] = (float) row[b];
            }
        }
        return w;
    }

    public Kind kind() {
        return kind;
    }

    /** ε of the whitening maps (0 for PCA). */
    public double eps() {
        return eps;
    }

    /** The number of input features D. */
    public int inputSize() {
        return mean.length;
    }

    /** The number of outputs k. */
    public int components() {
        return outputs;
    }

    /** The training mean μ; a copy. */
    public float[] mean() {
        return mean.clone();
    }

    /** W, k×D row-major: x' = W (x − μ); a copy. */
    public float[] matrix() {
        return matrix.clone();
    }

    @Override
    public String describe() {
        return switch (kind) {
            case PCA -> "pca(components=" + outputs + " of " + mean.length + ")";
            case PCA_WHITEN -> String.format(Locale.ROOT, "pca_whiten(components=%d of %d, eps=%s)", outputs, mean.length, eps);
            case ZCA -> String.format(Locale.ROOT, "zca(%d features, eps=%s)", mean.length, eps);
        };
    }

    /** ZCA keeps the sample shape; PCA and PCA whitening give {@code [k]}. */
    @Override
    public int[] outputShape(int[] inputShape) {
        int d = ArrayDataset.product(inputShape);
        if (d != mean.length) {
            throw new DataException(describe() + ": fitted on " + mean.length + " features per sample, received "
                    + d + " (shape " + Arrays.toString(inputShape) + "); fit it on data of the same shape");
        }
        return kind == Kind.ZCA ? inputShape.clone() : new int[] {outputs};
    }

    @Override
    public ArrayDataset apply(Dataset data) {
        int[] shape = outputShape(data.featureShape());
        int n = data.size();
        int d = mean.length;
        float[] out = new float[Math.multiplyExact(n, outputs)];
        float[] block = new float[Math.multiplyExact(Math.max(1, Math.min(BLOCK, n)), d)];
        float[] y = new float[n];
        for (int start = 0; start < n; start += BLOCK) {
            int rows = Math.min(BLOCK, n - start);
            Covariance.centredRows(data, start, rows, mean, block);
            for (int i = 0; i < rows; i++) {
                y[start + i] = data.label(start + i);
            }
            // out[start.., :] = block · Wᵀ
            KernelProvider.get().gemm(false, true, rows, outputs, d, block, 0, d, matrix, 0, d,
                    0f, out, start * outputs, outputs);
        }
        return new ArrayDataset(out, shape, y, data.numClasses());
    }

    @Override
    public String toString() {
        return "Projection(" + describe() + ")";
    }
}
