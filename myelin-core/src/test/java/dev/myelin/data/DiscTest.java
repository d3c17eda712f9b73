package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Rng;
import org.junit.jupiter.api.Test;

class DiscTest {

    @Test
    void halfThePointsAreInsideTheDiscOfArea2() {
        ArrayDataset d = Disc.generate(20_000, new Rng(1));
        assertArrayEquals(new int[] {2}, d.featureShape());
        assertEquals(2, d.numClasses());
        int inside = 0;
        float[] p = new float[2];
        for (int i = 0; i < d.size(); i++) {
            d.features(i, p, 0);
            assertTrue(Math.abs(p[0]) <= 1 && Math.abs(p[1]) <= 1);
            boolean in = p[0] * p[0] + p[1] * p[1] < 2 / Math.PI;
            assertEquals(in ? 1 : 0, d.label(i), 0f);
            inside += (int) d.label(i);
        }
        double expected = Math.PI * Disc.RADIUS * Disc.RADIUS / 4; // = 0.5
        assertEquals(0.5, expected, 1e-12);
        // binomial standard deviation sqrt(0.25 / 20000) = 0.0035; allow 4 of them
        assertEquals(expected, inside / 20_000.0, 0.014);
    }

    @Test
    void sameSeedSamePoints() {
        ArrayDataset a = Disc.generate(100, new Rng(3));
        ArrayDataset b = Disc.generate(100, new Rng(3));
        float[] pa = new float[2];
        float[] pb = new float[2];
        for (int i = 0; i < 100; i++) {
            a.features(i, pa, 0);
            b.features(i, pb, 0);
            assertArrayEquals(pa, pb, 0f);
        }
    }
}
