package dev.myelin.linalg;

/**
 * Linear least squares with an intercept, in closed form ("Deep Feedforward Networks", linear
 * regression as maximum likelihood under Gaussian noise; Goodfellow, Bengio and Courville, "Deep
 * Learning", 2016, section 5.1.4). For m samples of p features, A = [X 1] and θ = (w, b):
 * <pre>
 * minimize  ‖y − Aθ‖²
 * normal equations:  AᵀA θ = Aᵀy                      (Cholesky; A must have full column rank)
 * lstsq:             θ = V Λ⁺ Vᵀ Aᵀy,  AᵀA = V Λ Vᵀ      (the minimum-norm solution)
 * </pre>
 * {@link #lstsq} drops the eigenvalues λ ≤ rcond²·λmax, that is, the singular values
 * σ = √λ ≤ rcond·σmax of A, as {@code numpy.linalg.lstsq} and {@code torch.linalg.pinv} do; with
 * linearly dependent features it returns the θ of least norm (the bias included in that norm, as
 * numpy's lstsq on [X 1]). Both form AᵀA in double precision, which squares A's condition number:
 * an SVD of A would lose fewer digits on a badly conditioned problem. Gradient descent on the
 * mean squared error converges to the same θ (LinearRegressionTest trains one with SGD).
 */
public final class LinearRegression {
    /** numpy's default rcond for an m x n matrix: max(m, n) · the double machine epsilon. */
    public static double defaultRcond(int m, int n) {
        return Math.max(m, n) * Math.ulp(1.0);
    }

    /** A fitted line: y ≈ w·x + b; {@code rank} is the rank of A that the fit used. */
    public record Fit(double[] weights, double bias, int rank) {
        public Fit {
            weights = weights.clone();
        }

        /** w·x + b for the p features of {@code x} at {@code off}. */
        public double predict(float[] x, int off) {
            double s = bias;
            for (int j = 0; j < weights.length; j++) {
                s += weights[j] * x[off + j];
            }
            return s;
        }
    }

    private LinearRegression() {
    }

    /**
     * The least-squares fit from the normal equations, solved by a Cholesky factorization of AᵀA.
     *
     * @param x row-major [m, p] features
     * @param y the m targets
     * @throws IllegalArgumentException when the features (with the intercept) are linearly
     *                                  dependent, so AᵀA is singular: {@link #lstsq} then gives the minimum-norm fit
     */
    public static Fit normalEquations(float[] x, float[] y, int m, int p) {
        int n = p + 1;
        NormalEquations ne = NormalEquations.of(x, y, m, p);
        double[] g = ne.gram();
        double[] c = ne.moments();
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, g[i * n + i]);
        }
        double[] l = new double[n * n]; // AᵀA = L Lᵀ
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = g[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * n + k] * l[j * n + k];
                }
                if (i == j) {
                    if (s <= 1e-12 * scale) {
                        throw new IllegalArgumentException("normal equations: the " + p + " features and the intercept are"
                                + " linearly dependent (AᵀA is singular at column " + i + "); use lstsq for the"
                                + " minimum-norm solution");
                    }
                    l[i * n + i] = Math.sqrt(s);
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        double[] z = new double[n];
        for (int i = 0; i < n; i++) { // L z = Aᵀy
            double s = c[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * n + k] * z[k];
            }
            z[i] = s / l[i * n + i];
        }
        double[] theta = new double[n];
        for (int i = n - 1; i >= 0; i--) { // Lᵀ θ = z
            double s = z[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * theta[k];
            }
            theta[i] = s / l[i * n + i];
        }
        return fit(theta, p, n);
    }

    /** The minimum-norm least-squares fit with numpy's default rcond ({@link #defaultRcond}). */
    public static Fit lstsq(float[] x, float[] y, int m, int p) {
        return lstsq(x, y, m, p, defaultRcond(m, p + 1));
    }

    /** The minimum-norm least-squares fit through the eigendecomposition of AᵀA; see the class. */
    public static Fit lstsq(float[] x, float[] y, int m, int p, double rcond) {
        if (!(rcond >= 0)) {
            throw new IllegalArgumentException("lstsq: expected rcond >= 0, got " + rcond);
        }
        int n = p + 1;
        NormalEquations ne = NormalEquations.of(x, y, m, p);
        SymmetricEigen e = SymmetricEigen.of(ne.gram(), n);
        double[] c = ne.moments();
        double cut = rcond * rcond * e.value(0);
        double[] theta = new double[n];
        int rank = 0;
        for (int i = 0; i < n; i++) {
            double lambda = e.value(i);
            if (!(lambda > cut) || lambda <= 0) {
                continue;
            }
            rank++;
            double proj = 0; // vᵢᵀ Aᵀy
            for (int j = 0; j < n; j++) {
                proj += e.vector(i, j) * c[j];
            }
            for (int j = 0; j < n; j++) {
                theta[j] += e.vector(i, j) * proj / lambda;
            }
        }
        return fit(theta, p, rank);
    }

    /** θ = (w, b) as a fit of rank {@code rank}. */
    private static Fit fit(double[] theta, int p, int rank) {
        return new Fit(java.util.Arrays.copyOf(theta, p), theta[p], rank);
    }

    /** AᵀA (n x n, n = p + 1) and Aᵀy for A = [X 1], in double, from one pass over the rows. */
    private record NormalEquations(double[] gram, double[] moments) {
        static NormalEquations of(float[] x, float[] y, int m, int p) {
            if (m < 1 || p < 0 || x.length != (long) m * p) {
                throw new IllegalArgumentException("least squares: expected " + m + " x " + p + " features ("
                        + (long) m * p + " values), got " + x.length);
            }
            if (y.length != m) {
                throw new IllegalArgumentException("least squares: expected " + m + " targets, got " + y.length);
            }
            int n = p + 1;
            double[] g = new double[n * n];
            double[] c = new double[n];
            double[] a = new double[n];
            for (int r = 0; r < m; r++) {
                row(x, r, p, a);
                for (int i = 0; i < n; i++) {
                    c[i] += a[i] * y[r];
                    for (int j = 0; j <= i; j++) {
                        g[i * n + j] += a[i] * a[j];
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    g[j * n + i] = g[i * n + j];
                }
            }
            return new NormalEquations(g, c);
        }
    }

    private static void row(float[] x, int r, int p, double[] a) {
        for (int j = 0; j < p; j++) {
            a[j] = x[r * p + j];
        }
        a[p] = 1;
    }
}
