package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StandardizerTest {

    private static ArrayDataset table(float[][] rows) {
        int d = rows[0].length;
        float[] x = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, x, i * d, d);
        }
        return new ArrayDataset(x, new int[] {d}, new float[rows.length], 0);
    }

    @Test
    void scalarModeUsesAllTrainingValues() {
        ArrayDataset train = table(new float[][] {{1, 3}, {5, 7}}); // mean 4, population std sqrt(5)
        Standardizer s = Standardizer.fitScalar(train);
        assertTrue(s.isScalar());
        assertEquals(4f, s.mean()[0], 1e-6f);
        assertEquals((float) Math.sqrt(5), s.std()[0], 1e-6f);
        ArrayDataset t = s.apply(train);
        float[] x = new float[2];
        t.features(0, x, 0);
        assertEquals((1 - 4) / (float) Math.sqrt(5), x[0], 1e-6f);
    }

    @Test
    void testDataIsTransformedWithTrainingStatisticsOnly() {
        ArrayDataset train = table(new float[][] {{0, 10}, {2, 10}, {4, 10}});
        ArrayDataset test = table(new float[][] {{100, -50}});
        Standardizer s = Standardizer.fitPerFeature(train);
        assertArrayEquals(new float[] {2, 10}, s.mean(), 1e-6f);
        // feature 1 is constant in training: std 0 becomes 1, no division by zero
        assertArrayEquals(new float[] {(float) Math.sqrt(8.0 / 3), 1}, s.std(), 1e-6f);
        float[] x = new float[2];
        s.apply(test).features(0, x, 0);
        assertEquals((100 - 2) / (float) Math.sqrt(8.0 / 3), x[0], 1e-4f);
        assertEquals(-60, x[1], 0f);
        // the training set standardized has mean 0 and std 1 in the varying feature
        ArrayDataset t = s.apply(train);
        float sum = 0;
        float sq = 0;
        for (int i = 0; i < 3; i++) {
            t.features(i, x, 0);
            sum += x[0];
            sq += x[0] * x[0];
        }
        assertEquals(0, sum / 3, 1e-6f);
        assertEquals(1, sq / 3, 1e-5f);
    }

    @Test
    void savedStatisticsRebuildTheSameTransform() {
        ArrayDataset train = table(new float[][] {{1, 2}, {3, 5}});
        Standardizer s = Standardizer.fitPerFeature(train);
        Standardizer back = Standardizer.of(s.mean(), s.std());
        float[] a = {7, 7};
        float[] b = {7, 7};
        s.transform(a, 0, 2);
        back.transform(b, 0, 2);
        assertArrayEquals(a, b, 0f);
    }

    @Test
    void keepsShapeAndLabels() {
        float[] x = {0, 0.5f, 1, 1, 0, 0.25f, 0.75f, 1};
        ArrayDataset images = new ArrayDataset(x, new int[] {1, 2, 2}, new float[] {3, 8}, 10);
        ArrayDataset t = Standardizer.fitScalar(images).apply(images);
        assertArrayEquals(new int[] {1, 2, 2}, t.featureShape());
        assertEquals(8, t.label(1), 0f);
        assertEquals(10, t.numClasses());
    }

    @Test
    void perFeatureWidthMismatchIsExplained() {
        Standardizer s = Standardizer.fitPerFeature(table(new float[][] {{1, 2}}));
        DataException e = assertThrows(DataException.class, () -> s.apply(table(new float[][] {{1, 2, 3}})));
        assertTrue(e.getMessage().contains("fitted on 2 features per sample, received 3"), e.getMessage());
    }
}
