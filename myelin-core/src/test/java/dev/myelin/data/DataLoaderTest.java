package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataLoaderTest {

    /** Sample i has features [i, -i] and label i % 3. */
    static ArrayDataset indexed(int n) {
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i % 3;
        }
        return new ArrayDataset(x, new int[] {2}, y, 3);
    }

    /** The sample ids of one epoch, in the order the loader gave them. */
    static List<Integer> ids(Iterable<Batch> epoch) {
        List<Integer> out = new ArrayList<>();
        for (Batch b : epoch) {
            float[] x = b.x().data();
            for (int i = 0; i < b.size(); i++) {
                int id = (int) x[2 * i];
                assertEquals(-id, x[2 * i + 1], 0f);
                assertEquals(id % 3, b.y().data()[i], 0f);
                out.add(id);
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void everySampleOncePerEpoch(int prefetch) {
        DataLoader loader = new DataLoader(indexed(23), 5, true, false, prefetch, new Rng(7));
        assertEquals(5, loader.numBatches());
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Integer> ids = ids(loader);
            assertEquals(23, ids.size());
            List<Integer> sorted = new ArrayList<>(ids);
            sorted.sort(null);
            for (int i = 0; i < 23; i++) {
                assertEquals(i, sorted.get(i));
            }
        }
        assertEquals(3, loader.epoch());
    }

    @Test
    void shapesAndSmallLastBatch() {
        DataLoader loader = new DataLoader(indexed(23), 5);
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(5, batches.size());
        assertArrayEquals(new int[] {5, 2}, batches.get(0).x().shape());
        assertArrayEquals(new int[] {5}, batches.get(0).y().shape());
        assertArrayEquals(new int[] {3, 2}, batches.get(4).x().shape());
        assertEquals(List.of(20, 21, 22), ids(List.of(batches.get(4))));
    }

    @Test
    void aBatchSizeNearIntMaxGivesOneBatchOfEverything() {
        DataLoader loader = new DataLoader(indexed(23), Integer.MAX_VALUE, new Rng(3)); // ceil overflowed to 0 batches
        assertEquals(1, loader.numBatches());
        assertEquals(23, ids(loader).size());
    }

    @Test
    void dropLast() {
        DataLoader loader = new DataLoader(indexed(23), 5, true, true, 2, new Rng(1));
        assertEquals(4, loader.numBatches());
        List<Integer> ids = ids(loader);
        assertEquals(20, ids.size());
        assertEquals(20, ids.stream().distinct().count());
        for (Batch b : loader) {
            assertEquals(5, b.size());
        }
    }

    @Test
    void shuffleIsDeterministicPerSeedAndDiffersPerEpoch() {
        DataLoader a = new DataLoader(indexed(50), 8, new Rng(42));
        DataLoader b = new DataLoader(indexed(50), 8, new Rng(42));
        List<Integer> a0 = ids(a);
        List<Integer> a1 = ids(a);
        assertEquals(a0, ids(b));
        assertEquals(a1, ids(b));
        assertFalse(a0.equals(a1), "epochs 0 and 1 should be in different orders");
        assertFalse(a0.equals(ids(new DataLoader(indexed(50), 8, new Rng(43)))), "another seed, another order");
        List<Integer> inOrder = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            inOrder.add(i);
        }
        assertFalse(a0.equals(inOrder));
    }

    @Test
    void epochOrderDependsOnlyOnSeedAndEpoch() {
        DataLoader a = new DataLoader(indexed(30), 4, new Rng(5));
        ids(a);
        ids(a);
        List<Integer> third = ids(a);
        DataLoader resumed = new DataLoader(indexed(30), 4, new Rng(5));
        resumed.setEpoch(2);
        assertEquals(third, ids(resumed));
        assertEquals(third, ids(() -> a.epoch(2)));
    }

    @Test
    void noShuffleKeepsOrder() {
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), ids(new DataLoader(indexed(7), 3)));
    }

    @Test
    void workerExceptionReachesConsumerWithCause() {
        IllegalStateException boom = new IllegalStateException("disk on fire");
        Dataset failing = new FailingDataset(indexed(20), 13, boom);
        DataLoader loader = new DataLoader(failing, 4, false, false, 2, null);
        BatchIterator it = loader.iterator();
        assertEquals(List.of(0, 1, 2, 3), ids(List.of(it.next())));
        it.next();
        it.next(); // samples 8..11
        DataException e = assertThrows(DataException.class, it::next);
        assertSame(boom, e.getCause());
        assertTrue(e.getMessage().contains("batch 3 of 5") && e.getMessage().contains("disk on fire"), e.getMessage());
        assertFalse(it.hasNext());
    }

    @Test
    void closingEarlyStopsTheWorker() throws InterruptedException {
        DataLoader loader = new DataLoader(indexed(1000), 2, true, false, 2, new Rng(3));
        PrefetchingIterator it = (PrefetchingIterator) loader.iterator();
        it.next();
        Thread worker = it.workerThread();
        assertTrue(worker.isDaemon());
        it.close();
        worker.join(10_000);
        assertFalse(worker.isAlive(), "the prefetch thread should stop when the iterator is closed");
        it.close(); // twice is fine
        assertFalse(it.hasNext());
    }

    @Test
    void abandonedIteratorDoesNotLeakItsThread() throws InterruptedException {
        DataLoader loader = new DataLoader(indexed(1000), 2, true, false, 2, new Rng(3));
        Thread worker = startAndAbandon(loader);
        // The worker is blocked on a full queue; once the iterator is collected, the Cleaner stops it.
        for (int i = 0; i < 200 && worker.isAlive(); i++) {
            System.gc();
            worker.join(50);
        }
        assertFalse(worker.isAlive(), "the prefetch thread should stop once its iterator is unreachable");
    }

    /** Like a {@code break} out of a for-each loop: one batch taken, the iterator dropped unclosed. */
    private static Thread startAndAbandon(DataLoader loader) {
        PrefetchingIterator it = (PrefetchingIterator) loader.iterator();
        assertEquals(2, it.next().size());
        return it.workerThread();
    }

    @Test
    void threeDimensionalFeaturesKeepTheirShape() {
        float[] x = new float[4 * 6];
        Arrays.fill(x, 0.5f);
        ArrayDataset images = new ArrayDataset(x, new int[] {1, 2, 3}, new float[] {0, 1, 0, 1}, 2);
        Batch b = new DataLoader(images, 3).iterator().next();
        assertArrayEquals(new int[] {3, 1, 2, 3}, b.x().shape());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(indexed(3), 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(indexed(3), 2, true, false, 2, null));
        assertTrue(e.getMessage().contains("Rng"));
    }

    @Test
    void emptyDatasetHasNoBatches() {
        DataLoader loader = new DataLoader(indexed(0), 4);
        assertEquals(0, loader.numBatches());
        assertFalse(loader.iterator().hasNext());
    }

    /** Throws {@code error} when sample {@code bad} is read. */
    private record FailingDataset(Dataset inner, int bad, RuntimeException error) implements Dataset {
        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public int[] featureShape() {
            return inner.featureShape();
        }

        @Override
        public int numClasses() {
            return inner.numClasses();
        }

        @Override
        public void features(int index, float[] dst, int dstOff) {
            if (index == bad) {
                throw error;
            }
            inner.features(index, dst, dstOff);
        }

        @Override
        public float label(int index) {
            return inner.label(index);
        }
    }

    @Test
    void failureInFirstBatchIsReported() {
        RuntimeException cause = new RuntimeException("bad sample");
        DataLoader loader = new DataLoader(new FailingDataset(indexed(4), 0, cause), 4);
        DataException e = assertThrows(DataException.class, () -> loader.iterator().next());
        assertSame(cause, e.getCause());
        assertTrue(e.getMessage().contains("batch 0 of 1 in epoch 0"), e.getMessage());
    }
}
