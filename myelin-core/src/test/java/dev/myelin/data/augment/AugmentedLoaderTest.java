package dev.myelin.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myelin.data.ArrayDataset;
import dev.myelin.data.Batch;
import dev.myelin.data.DataLoader;
import dev.myelin.kernel.Parallel;
import dev.myelin.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Augmentation inside the DataLoader: labels and shapes kept, reproducible whatever the threads. */
class AugmentedLoaderTest {
    private static final int N = 37;

    /** Sample i: a 1x6x6 image whose pixels are i + pixel/100, label i % 4. */
    static ArrayDataset images() {
        float[] x = new float[N * 36];
        float[] y = new float[N];
        for (int i = 0; i < N; i++) {
            for (int p = 0; p < 36; p++) {
                x[i * 36 + p] = i + p / 100f;
            }
            y[i] = i % 4;
        }
        return new ArrayDataset(x, new int[] {1, 6, 6}, y, 4);
    }

    static Augment pipeline() {
        return Augment.of(new Flip(0.5), new Crop(1, 1.0), new Rotate(15, 0.5), new Noise(0.01, 1.0),
                new Erase(0.5, 0.05, 0.2, 0.3, 3.3, 0.0));
    }

    static List<float[]> epochs(int prefetch, int threads, int epochs) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            DataLoader loader = new DataLoader(images(), 8, true, false, prefetch, new Rng(5).split("shuffle"))
                    .setAugment(pipeline(), new Rng(5).split("augment"));
            List<float[]> out = new ArrayList<>();
            for (int e = 0; e < epochs; e++) {
                for (Batch b : loader) {
                    out.add(b.x().toArray());
                    out.add(b.y().toArray());
                }
            }
            return out;
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void sameSeedSameBatchesWhateverThePrefetchAndThreadCount() {
        List<float[]> a = epochs(0, 1, 2);
        List<float[]> b = epochs(2, 2, 2);
        List<float[]> c = epochs(3, 3, 2);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "batch array " + i);
            assertArrayEquals(a.get(i), c.get(i), "batch array " + i);
        }
    }

    @Test
    void epochsDifferAndDifferentSeedsDiffer() {
        DataLoader loader = new DataLoader(images(), N, false, false, 0, null).setAugment(pipeline(), new Rng(1));
        float[] e0 = loader.iterator().next().x().toArray();
        float[] e1 = loader.iterator().next().x().toArray();
        assertFalse(Arrays.equals(e0, e1), "a new epoch draws new augmentations");
        float[] other = new DataLoader(images(), N, false, false, 0, null).setAugment(pipeline(), new Rng(2))
                .iterator().next().x().toArray();
        assertFalse(Arrays.equals(e0, other));
    }

    @Test
    void aLoaderResumedAtAnEpochSeesTheSameAugmentedBatches() {
        DataLoader fresh = new DataLoader(images(), 8, new Rng(9)).setAugment(pipeline(), new Rng(10));
        fresh.iterator().forEachRemaining(b -> { });
        List<float[]> second = new ArrayList<>();
        fresh.iterator().forEachRemaining(b -> second.add(b.x().toArray()));
        DataLoader resumed = new DataLoader(images(), 8, new Rng(9)).setAugment(pipeline(), new Rng(10));
        resumed.setEpoch(1);
        List<float[]> again = new ArrayList<>();
        resumed.iterator().forEachRemaining(b -> again.add(b.x().toArray()));
        assertEquals(second.size(), again.size());
        for (int i = 0; i < again.size(); i++) {
            assertArrayEquals(second.get(i), again.get(i), "batch " + i);
        }
    }

    @Test
    void labelsAndShapesAreKeptAndEachSampleStaysItself() {
        DataLoader loader = new DataLoader(images(), 8, true, false, 2, new Rng(3))
                .setAugment(Augment.of(new Flip(0.5), new Crop(1, 1.0)), new Rng(4));
        int seen = 0;
        for (Batch b : loader) {
            assertArrayEquals(new int[] {b.size(), 1, 6, 6}, b.x().shape());
            for (int i = 0; i < b.size(); i++) {
                int label = (int) b.y().data()[i];
                // flips and shifts move pixels, so the sample's id (the integer part) survives
                float maxPixel = 0;
                for (int p = 0; p < 36; p++) {
                    maxPixel = Math.max(maxPixel, b.x().data()[i * 36 + p]);
                }
                assertEquals(label, ((int) maxPixel) % 4);
                seen++;
            }
        }
        assertEquals(N, seen);
    }

    @Test
    void withoutAugmentationTheDataAreUntouched() {
        DataLoader plain = new DataLoader(images(), N);
        assertArrayEquals(imagesData(), plain.iterator().next().x().toArray());
        DataLoader off = new DataLoader(images(), N).setAugment(null, null);
        assertArrayEquals(imagesData(), off.iterator().next().x().toArray());
    }

    private static float[] imagesData() {
        float[] x = new float[N * 36];
        for (int i = 0; i < N; i++) {
            images().features(i, x, i * 36);
        }
        return x;
    }

    @Test
    void flatSamplesAreRefusedWithAClearMessage() {
        ArrayDataset flat = new ArrayDataset(new float[8], new int[] {4}, new float[] {0, 1}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(flat, 2).setAugment(Augment.of(new Flip()), new Rng(1)));
        assertEquals(true, e.getMessage().contains("[C, H, W]") && e.getMessage().contains("[4]"), e.getMessage());
    }
}
