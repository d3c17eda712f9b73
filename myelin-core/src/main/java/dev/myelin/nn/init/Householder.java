package dev.myelin.nn.init;

/**
 * The Q factor of a thin QR decomposition by Householder reflections (Golub &amp; Van Loan,
 * Matrix Computations, 4th ed., §5.2), in double precision, with the signs fixed so that R
 * has a positive diagonal. That Q is unique for a full-rank matrix, so it is the same matrix
 * LAPACK's geqrf/orgqr followed by PyTorch's sign correction give; for a Gaussian matrix it is
 * distributed uniformly (Haar) over the matrices with orthonormal columns (Mezzadri 2007).
 */
final class Householder {
    private Householder() {
    }

    /**
     * Q of A = QR for A m×n row-major, m ≥ n; returns Q m×n row-major with QᵀQ = I and
     * diag(R) &gt; 0. {@code a} is overwritten.
     */
    static double[] orthonormalColumns(double[] a, int m, int n) {
        if (m < n) {
            throw new IllegalArgumentException("Householder QR: expected rows >= columns, got " + m + "x" + n);
        }
        double[][] v = new double[n][];
        double[] rDiag = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = reflector(a, m, n, k);
            rDiag[k] = a[k * n + k];
        }
        double[] q = new double[m * n];
        for (int i = 0; i < n; i++) {
            q[i * n + i] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            reflect(v[k], q, m, n, k, 0);
        }
        for (int j = 0; j < n; j++) {
            if (rDiag[j] < 0) {
                for (int i = 0; i < m; i++) {
                    q[i * n + j] = -q[i * n + j];
                }
            }
        }
        return q;
    }

    /**
     * The unit vector v of the reflection H = I − 2vvᵀ that zeroes column k below the diagonal;
     * applies H to columns k.. of a (so a[k][k] becomes R's diagonal entry).
     */
    private static double[] reflector(double[] a, int m, int n, int k) {
        double norm = 0;
        for (int i = k; i < m; i++) {
            norm += a[i * n + k] * a[i * n + k];
        }
        norm = Math.sqrt(norm);
        double[] v = new double[m - k];
        if (norm == 0) {
            return v; // a zero column: nothing to reflect
        }
        // alpha = −sign(x0)·|x|, so x − alpha·e1 never cancels
        double alpha = a[k * n + k] > 0 ? -norm : norm;
        for (int i = k; i < m; i++) {
            v[i - k] = a[i * n + k];
        }
        v[0] -= alpha;
        double vn = 0;
        for (double x : v) {
            vn += x * x;
        }
        vn = Math.sqrt(vn);
        for (int i = 0; i < v.length; i++) {
            v[i] /= vn;
        }
        reflect(v, a, m, n, k, k);
        return v;
    }

    /** x ← (I − 2vvᵀ)·x for the rows k.. of every column from {@code fromCol} of x (m×n). */
    private static void reflect(double[] v, double[] x, int m, int n, int k, int fromCol) {
        for (int j = fromCol; j < n; j++) {
            double dot = 0;
            for (int i = k; i < m; i++) {
                dot += v[i - k] * x[i * n + j];
            }
            if (dot != 0) {
                for (int i = k; i < m; i++) {
                    x[i * n + j] -= 2 * dot * v[i - k];
                }
            }
        }
    }
}
