package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.tensor.Rng;
import org.junit.jupiter.api.Test;

class CovarianceTest {

    @Test
    void matchesTheTwoPassDoubleFormulaAcrossGemmBlocks() {
        int n = Covariance.BLOCK * 2 + 37; // several blocks, the last one short
        int d = 7;
        Rng rng = new Rng(4);
        float[] x = new float[n * d];
        for (int s = 0; s < n; s++) {
            double z = rng.nextGaussian();
            for (int j = 0; j < d; j++) {
                x[s * d + j] = (float) (3 * j + (1 + j) * rng.nextGaussian() + j * z); // correlated through z
            }
        }
        double[] mean = new double[d];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[s * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        Covariance c = Covariance.of(new ArrayDataset(x, new int[] {d}, new float[n], 0));
        assertEquals(n, c.samples());
        for (int i = 0; i < d; i++) {
            assertEquals(mean[i], c.mean()[i], 1e-12, "mean " + i);
            for (int j = 0; j < d; j++) {
                double expected = 0;
                for (int s = 0; s < n; s++) {
                    expected += (x[s * d + i] - mean[i]) * (x[s * d + j] - mean[j]);
                }
                expected /= n;
                assertEquals(expected, c.get(i, j), 1e-5 * Math.max(1, Math.abs(expected)), "C(" + i + ", " + j + ")");
                assertEquals(c.get(i, j), c.get(j, i), 0, "symmetric");
            }
        }
    }
}
