package dev.myelin.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

    private static double[] randomSymmetric(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = r.nextDouble(-1, 1);
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        return a;
    }

    /** A v_i = λ_i v_i, VᵀV = I, values descending, trace preserved. */
    private static void assertDecomposes(double[] a, int n, SymmetricEigen e, double tol) {
        double norm = 0;
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += a[i * n + i];
            for (int j = 0; j < n; j++) {
                norm = Math.max(norm, Math.abs(a[i * n + j]));
            }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += e.value(i);
            if (i > 0) {
                assertTrue(e.value(i) <= e.value(i - 1), "descending at " + i);
            }
            for (int r = 0; r < n; r++) {
                double av = 0;
                for (int k = 0; k < n; k++) {
                    av += a[r * n + k] * e.vector(i, k);
                }
                assertEquals(e.value(i) * e.vector(i, r), av, tol * Math.max(1, norm) * n, "A v = λ v, vector " + i);
            }
            for (int j = 0; j <= i; j++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += e.vector(i, k) * e.vector(j, k);
                }
                assertEquals(i == j ? 1 : 0, dot, tol * n, "orthonormal " + i + "," + j);
            }
        }
        assertEquals(trace, sum, tol * n * Math.max(1, norm));
    }

    @Test
    void randomMatricesOfOddSizes() {
        for (int n : new int[] {1, 2, 3, 7, 13, 100}) {
            double[] a = randomSymmetric(n, n);
            assertDecomposes(a, n, SymmetricEigen.of(a, n), 1e-12);
        }
    }

    @Test
    void knownSpectrumOfTheSecondDifferenceMatrix() {
        // tridiag(-1, 2, -1) of size n has eigenvalues 2 - 2 cos(kπ/(n+1)), k = 1..n
        int n = 50;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 2;
            if (i > 0) {
                a[i * n + i - 1] = -1;
                a[(i - 1) * n + i] = -1;
            }
        }
        SymmetricEigen e = SymmetricEigen.of(a, n);
        for (int i = 0; i < n; i++) {
            int k = n - i;
            assertEquals(2 - 2 * Math.cos(k * Math.PI / (n + 1)), e.value(i), 1e-12, "eigenvalue " + i);
        }
        assertDecomposes(a, n, e, 1e-12);
    }

    @Test
    void repeatedAndZeroEigenvaluesOfALowRankCovariance() {
        // X (20×3) has rank 3: its 8×8 Gram matrix XᵀX... here a 8×8 covariance of rank 3
        int n = 8;
        SplittableRandom r = new SplittableRandom(5);
        double[][] x = new double[3][n];
        for (double[] row : x) {
            for (int j = 0; j < n; j++) {
                row[j] = r.nextGaussian();
            }
        }
        double[] a = new double[n * n];
        for (double[] row : x) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i * n + j] += row[i] * row[j];
                }
            }
        }
        SymmetricEigen e = SymmetricEigen.of(a, n);
        assertDecomposes(a, n, e, 1e-12);
        for (int i = 3; i < n; i++) {
            assertEquals(0, e.value(i), 1e-12, "rank 3: eigenvalue " + i);
        }
        assertEquals(Double.POSITIVE_INFINITY, e.conditionNumber());

        double[] identity = new double[n * n];
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 3;
        }
        SymmetricEigen id = SymmetricEigen.of(identity, n);
        assertDecomposes(identity, n, id, 1e-14);
        assertEquals(1, id.conditionNumber(), 1e-15);
    }

    @Test
    void diagonalMatrixGivesSortedAxesWithPositiveSigns() {
        double[] a = {1, 0, 0, 0, -5, 0, 0, 0, 9};
        SymmetricEigen e = SymmetricEigen.of(a, 3);
        assertEquals(9, e.value(0), 0);
        assertEquals(1, e.value(1), 0);
        assertEquals(-5, e.value(2), 0);
        assertEquals(1, e.vector(0, 2), 0);
        assertEquals(1, e.vector(1, 0), 0);
        assertEquals(1, e.vector(2, 1), 0);
    }

    @Test
    void rejectsNonSymmetricNonFiniteAndWrongSizes() {
        var a = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {1, 2, 3, 4}, 2));
        assertTrue(a.getMessage().contains("symmetric") && a.getMessage().contains("(1, 0)"), a.getMessage());
        var b = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[] {1, Double.NaN, Double.NaN, 1}, 2));
        assertTrue(b.getMessage().contains("finite"), b.getMessage());
        var c = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[5], 2));
        assertTrue(c.getMessage().contains("2×2") && c.getMessage().contains("5"), c.getMessage());
    }
}
