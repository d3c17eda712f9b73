package dev.myelin.linalg;

import java.util.Arrays;

/**
 * The eigendecomposition of a real symmetric matrix in double precision:
 *
 * <pre>
 * A = V diag(λ) Vᵀ,   VᵀV = I,   λ₀ ≥ λ₁ ≥ ... ≥ λₙ₋₁
 * </pre>
 *
 * <p>Two classical steps (EISPACK's {@code tred2} and {@code tql2}, as JAMA implements them; Wilkinson
 * and Reinsch, "Handbook for Automatic Computation, Vol. II: Linear Algebra", 1971): Householder
 * reflections reduce A to a symmetric tridiagonal matrix while accumulating the orthogonal
 * transform, then the implicit QL algorithm with Wilkinson-style shifts diagonalizes the tridiagonal
 * matrix, rotating the accumulated transform along. Cost about {@code 9n³} flops; a 784×784 matrix
 * takes around a second.
 *
 * <p>Differences from JAMA: the working matrix is held transposed (row {@code j} is column
 * {@code j} of JAMA's {@code V}), so every inner loop walks a row; the eigenvalues are sorted in
 * descending order (principal components first, unlike LAPACK's ascending {@code syev}); each
 * eigenvector's sign is fixed so that its entry of largest magnitude is positive (the convention of
 * scikit-learn's {@code svd_flip}), so the result does not depend on rounding accidents; and the QL
 * iteration is capped, so non-convergence is an error instead of an endless loop.
 */
public final class SymmetricEigen {
    private static final double EPS = Math.ulp(1.0);
    /** QL sweeps allowed per eigenvalue before giving up (EISPACK allows 30). */
    private static final int MAX_SWEEPS = 60;

    private final double[] values;
    private final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /**
     * Decomposes the symmetric {@code n×n} matrix {@code a} (row-major, {@code a[i*n + j]}); only
     * checked for symmetry up to rounding, then its lower triangle is used. {@code a} is not modified.
     *
     * @throws IllegalArgumentException when {@code a} is not square, has a non-finite entry, or is not
     *                                  symmetric
     */
    public static SymmetricEigen of(double[] a, int n) {
        if (n < 1 || a.length != (long) n * n) {
            throw new IllegalArgumentException("SymmetricEigen: expected an n×n matrix of " + n + "×" + n
                    + " values, received " + a.length + " values");
        }
        double[][] w = new double[n][n];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = a[i * n + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("SymmetricEigen: expected finite entries, received " + v
                            + " at (" + i + ", " + j + ")");
                }
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                if (Math.abs(a[i * n + j] - a[j * n + i]) > 1e-9 * scale) {
                    throw new IllegalArgumentException("SymmetricEigen: expected a symmetric matrix, received "
                            + a[i * n + j] + " at (" + i + ", " + j + ") and " + a[j * n + i] + " at (" + j + ", " + i + ")");
                }
                w[i][j] = a[i * n + j];
                w[j][i] = a[i * n + j];
            }
        }
        double[] d = new double[n];
        double[] e = new double[n];
        tridiagonalize(w, d, e);
        diagonalize(w, d, e);
        return sorted(d, w);
    }

    /** The eigenvalues, largest first; a copy. */
    public double[] values() {
        return values.clone();
    }

    /** Eigenvalue {@code i} (descending order). */
    public double value(int i) {
        return values[i];
    }

    /** The eigenvectors as rows: row {@code i} belongs to {@link #value(int) value(i)}; a copy. */
    public double[][] vectors() {
        double[][] v = new double[values.length][];
        for (int i = 0; i < v.length; i++) {
            v[i] = vectors[i].clone();
        }
        return v;
    }

    /** Entry {@code j} of eigenvector {@code i}. */
    public double vector(int i, int j) {
        return vectors[i][j];
    }

    /** The matrix size n. */
    public int size() {
        return values.length;
    }

    /**
     * The condition number λmax/λmin of a positive definite matrix; infinite when the smallest
     * eigenvalue is 0 or negative.
     */
    public double conditionNumber() {
        double min = values[values.length - 1];
        return min > 0 ? values[0] / min : Double.POSITIVE_INFINITY;
    }

    /**
     * Householder reduction to tridiagonal form ({@code tred2}). On return {@code d} holds the
     * diagonal, {@code e[1..n-1]} the sub-diagonal, and row j of {@code w} column j of the orthogonal
     * transform Q with A = Q T Qᵀ.
     */
    private static void tridiagonalize(double[][] w, double[] d, double[] e) {
        int n = d.length;
        for (int j = 0; j < n; j++) {
            d[j] = w[j][n - 1];
        }
        for (int i = n - 1; i > 0; i--) {
            double scale = 0;
            for (int k = 0; k < i; k++) {
                scale += Math.abs(d[k]);
            }
            double h = 0;
            if (scale == 0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = w[j][i - 1];
                    w[j][i] = 0;
                    w[i][j] = 0;
                }
            } else {
                h = reflect(w, d, e, i, scale);
            }
            d[i] = h;
        }
        accumulate(w, d);
        for (int j = 0; j < n; j++) {
            d[j] = w[j][n - 1];
            w[j][n - 1] = 0;
        }
        w[n - 1][n - 1] = 1;
        e[0] = 0;
    }

    /** One Householder step of {@code tred2}: annihilates row i left of the sub-diagonal; returns h. */
    private static double reflect(double[][] w, double[] d, double[] e, int i, double scale) {
        double h = 0;
        for (int k = 0; k < i; k++) {
            d[k] /= scale;
            h += d[k] * d[k];
        }
        double f = d[i - 1];
        double g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        d[i - 1] = f - g;
        Arrays.fill(e, 0, i, 0.0);
        for (int j = 0; j < i; j++) {
            f = d[j];
            double[] wj = w[j];
            w[i][j] = f;
            g = e[j] + wj[j] * f;
            for (int k = j + 1; k <= i - 1; k++) {
                g += wj[k] * d[k];
                e[k] += wj[k] * f;
            }
            e[j] = g;
        }
        f = 0;
        for (int j = 0; j < i; j++) {
            e[j] /= h;
            f += e[j] * d[j];
        }
        double hh = f / (h + h);
        for (int j = 0; j < i; j++) {
            e[j] -= hh * d[j];
        }
        for (int j = 0; j < i; j++) {
            f = d[j];
            g = e[j];
            double[] wj = w[j];
            for (int k = j; k <= i - 1; k++) {
                wj[k] -= f * e[k] + g * d[k];
            }
            d[j] = wj[i - 1];
            wj[i] = 0;
        }
        return h;
    }

    /** Accumulates the Householder reflections into the orthogonal transform (second half of {@code tred2}). */
    private static void accumulate(double[][] w, double[] d) {
        int n = d.length;
        for (int i = 0; i < n - 1; i++) {
            w[i][n - 1] = w[i][i];
            w[i][i] = 1;
            double h = d[i + 1];
            double[] wi1 = w[i + 1];
            if (h != 0) {
                for (int k = 0; k <= i; k++) {
                    d[k] = wi1[k] / h;
                }
                for (int j = 0; j <= i; j++) {
                    double[] wj = w[j];
                    double g = 0;
                    for (int k = 0; k <= i; k++) {
                        g += wi1[k] * wj[k];
                    }
                    for (int k = 0; k <= i; k++) {
                        wj[k] -= g * d[k];
                    }
                }
            }
            for (int k = 0; k <= i; k++) {
                wi1[k] = 0;
            }
        }
    }

    /** Implicit QL iterations on the tridiagonal matrix ({@code tql2}), rotating the rows of {@code w}. */
    private static void diagonalize(double[][] w, double[] d, double[] e) {
        int n = d.length;
        System.arraycopy(e, 1, e, 0, n - 1);
        e[n - 1] = 0;
        double f = 0;
        double tst1 = 0;
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > EPS * tst1) {
                m++;
            }
            int sweeps = 0;
            while (m > l && Math.abs(e[l]) > EPS * tst1) {
                if (++sweeps > MAX_SWEEPS) {
                    throw new ArithmeticException("SymmetricEigen: the QL iteration did not converge for eigenvalue "
                            + l + " of " + n + " after " + MAX_SWEEPS + " sweeps");
                }
                f += qlSweep(w, d, e, l, m);
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    /** One shifted QL sweep over the block l..m; returns the shift applied to d[l+2..]. */
    private static double qlSweep(double[][] w, double[] d, double[] e, int l, int m) {
        int n = d.length;
        double g = d[l];
        double p = (d[l + 1] - g) / (2 * e[l]);
        double r = Math.hypot(p, 1);
        if (p < 0) {
            r = -r;
        }
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        double dl1 = d[l + 1];
        double h = g - d[l];
        for (int i = l + 2; i < n; i++) {
            d[i] -= h;
        }
        p = d[m];
        double c = 1;
        double c2 = 1;
        double c3 = 1;
        double el1 = e[l + 1];
        double s = 0;
        double s2 = 0;
        for (int i = m - 1; i >= l; i--) {
            c3 = c2;
            c2 = c;
            s2 = s;
            g = c * e[i];
            double hp = c * p;
            r = Math.hypot(p, e[i]);
            e[i + 1] = s * r;
            s = e[i] / r;
            c = p / r;
            p = c * d[i] - s * g;
            d[i + 1] = hp + s * (c * g + s * d[i]);
            rotate(w[i], w[i + 1], c, s);
        }
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p;
        d[l] = c * p;
        return h;
    }

    /** (a, b) := (c·a − s·b, s·a + c·b), element by element. */
    private static void rotate(double[] a, double[] b, double c, double s) {
        for (int k = 0; k < a.length; k++) {
            double bk = b[k];
            double ak = a[k];
            b[k] = s * ak + c * bk;
            a[k] = c * ak - s * bk;
        }
    }

    /** Sorts descending and fixes each vector's sign (largest-magnitude entry positive). */
    private static SymmetricEigen sorted(double[] d, double[][] w) {
        int n = d.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(d[y], d[x]));
        double[] values = new double[n];
        double[][] vectors = new double[n][];
        for (int i = 0; i < n; i++) {
            values[i] = d[order[i]];
            double[] v = w[order[i]];
            int big = 0;
            for (int k = 1; k < n; k++) {
                if (Math.abs(v[k]) > Math.abs(v[big])) {
                    big = k;
                }
            }
            if (v[big] < 0) {
                for (int k = 0; k < n; k++) {
                    v[k] = -v[k];
                }
            }
            vectors[i] = v;
        }
        return new SymmetricEigen(values, vectors);
    }
}
