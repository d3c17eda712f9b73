package dev.myelin.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Orthogonal initialization as torch.nn.init.orthogonal_: WᵀW = gain²·I for square and tall
 * weights, WWᵀ = gain²·I for wide ones, weights of more dimensions viewed as [size(0), rest];
 * Q's sign correction makes the draw Haar, so its entries have mean 0 and variance 1/rows.
 */
class OrthogonalInitTest {
    private static final double TOL = 2e-6;

    @Test
    void squareTallAndWideWeightsHaveOrthonormalColumnsOrRows() {
        assertGram(Init.orthogonal(Tensor.zeros(64, 64), 1.0, new Rng(1)), 64, 64, 1.0);
        assertGram(Init.orthogonal(Tensor.zeros(100, 30), 1.0, new Rng(2)), 100, 30, 1.0);
        assertGram(Init.orthogonal(Tensor.zeros(30, 100), 1.0, new Rng(3)), 30, 100, 1.0);
    }

    @Test
    void gainScalesTheGram() {
        assertGram(Init.orthogonal(Tensor.zeros(40, 20), 5.0 / 3, new Rng(4)), 40, 20, 5.0 / 3);
    }

    @Test
    void aConvolutionWeightIsOrthogonalAsRowsTimesTheRest() {
        Tensor w = Init.orthogonal(Tensor.zeros(8, 3, 2, 2), 1.0, new Rng(5));
        assertArrayEquals(new int[] {8, 3, 2, 2}, w.shape());
        assertGram(w, 8, 12, 1.0);
    }

    @Test
    void entriesOfASquareDrawHaveVarianceOneOverN() {
        // a Haar orthogonal matrix's rows are unit vectors: mean of the squares is 1/n exactly,
        // and a drawn sign pattern is not all positive on the diagonal (no Gram-Schmidt bias)
        Tensor w = Init.orthogonal(Tensor.zeros(128, 128), 1.0, new Rng(6));
        double sumSq = 0;
        int positiveDiagonal = 0;
        for (int i = 0; i < 128; i++) {
            for (int j = 0; j < 128; j++) {
                float v = w.get(i, j);
                sumSq += v * v;
            }
            positiveDiagonal += w.get(i, i) > 0 ? 1 : 0;
        }
        assertEquals(1.0 / 128, sumSq / (128 * 128), 1e-6);
        assertTrue(positiveDiagonal > 40 && positiveDiagonal < 88, "positive diagonal entries " + positiveDiagonal);
    }

    @Test
    void sameSeedSameDraw() {
        assertArrayEquals(Init.orthogonal(Tensor.zeros(9, 7), 1.0, new Rng(8)).data(),
                Init.orthogonal(Tensor.zeros(9, 7), 1.0, new Rng(8)).data());
    }

    @Test
    void aVectorIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Init.orthogonal(Tensor.zeros(5), 1.0, new Rng(0)));
        assertTrue(e.getMessage().contains("at least 2 dimensions") && e.getMessage().contains("[5]"), e.getMessage());
    }

    /** The smaller Gram matrix (WᵀW when rows ≥ cols, else WWᵀ) equals gain²·I. */
    static void assertGram(Tensor w, int rows, int cols, double gain) {
        float[] d = w.data();
        boolean tall = rows >= cols;
        int n = tall ? cols : rows;
        int len = tall ? rows : cols;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double s = 0;
                for (int k = 0; k < len; k++) {
                    double x = tall ? d[k * cols + a] : d[a * cols + k];
                    double y = tall ? d[k * cols + b] : d[b * cols + k];
                    s += x * y;
                }
                assertEquals(a == b ? gain * gain : 0.0, s, TOL * gain * gain * 10, "Gram[" + a + "][" + b + "]");
            }
        }
    }
}
