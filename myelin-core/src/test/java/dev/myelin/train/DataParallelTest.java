package dev.myelin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.ArrayDataset;
import dev.myelin.data.Batch;
import dev.myelin.data.BatchIterator;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Disc;
import dev.myelin.nn.Activation;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Adam;
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DataParallelTest {
    private static final int EPOCHS = 3;

    private static Sequential model(Rng rng, boolean bnAndDropout) {
        return bnAndDropout
                ? new Sequential(new Linear(2, 32, rng.split("a")), new BatchNorm1d(32), Activation.relu(),
                        new Dropout(0.1, rng.split("d")), new Linear(32, 2, rng.split("b")))
                : new Sequential(new Linear(2, 32, rng.split("a")), Activation.tanh(), new Linear(32, 2, rng.split("b")));
    }

    /** One replica's run: its final weights (every parameter and buffer, flattened) and history. */
    private record Run(float[] weights, History history, DataParallel dp) {
    }

    private static Run train(int rank, Replicas replicas, int syncEvery, boolean bnAndDropout, boolean adam) {
        Rng rng = new Rng(3);
        ArrayDataset train = Disc.generate(600, rng.split("train"));
        ArrayDataset val = Disc.generate(200, rng.split("val"));
        Sequential m = model(rng.split("model"), bnAndDropout);
        Trainer t = new Trainer(m, Loss.crossEntropy(), adam ? new Adam(m.parameters(), Adam.Options.of(1e-2))
                : new Sgd(m.parameters(), Sgd.Options.of(0.1)));
        DataLoader loader = new DataLoader(train, 40, rng.split("shuffle"));
        DataParallel dp = null;
        if (replicas != null) {
            dp = new DataParallel(replicas, syncEvery);
            t.dataParallel(dp);
            loader.shard(rank, replicas.size());
        }
        History h = t.fit(loader, new DataLoader(val, 100), EPOCHS);
        List<Float> all = new ArrayList<>();
        m.stateDict().values().forEach(v -> {
            for (float f : v.data()) {
                all.add(f);
            }
        });
        float[] w = new float[all.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = all.get(i);
        }
        return new Run(w, h, dp);
    }

    private static List<Run> replicas(int n, int syncEvery, boolean bnAndDropout, boolean adam) throws Exception {
        ThreadReplicas.Group g = new ThreadReplicas.Group(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Run>> fs = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                fs.add(pool.submit(() -> train(rank, new ThreadReplicas(g, rank), syncEvery, bnAndDropout, adam)));
            }
            List<Run> out = new ArrayList<>();
            for (Future<Run> f : fs) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneReplicaIsBitForBitThePlainTrainer() throws Exception {
        Run plain = train(0, null, 1, true, true);
        Run one = replicas(1, 1, true, true).get(0);
        assertArrayEquals(plain.weights(), one.weights());
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(plain.history().epochs().get(e).trainLoss(), one.history().epochs().get(e).trainLoss());
            assertEquals(plain.history().epochs().get(e).valLoss(), one.history().epochs().get(e).valLoss());
        }
        assertEquals(0, one.dp().floatsReduced(), "one replica sends nothing");
    }

    @Test
    void twoReplicasTakeTheStepOfTheWholeBatch() throws Exception {
        Run plain = train(0, null, 1, false, false);
        List<Run> two = replicas(2, 1, false, false);
        assertArrayEquals(two.get(0).weights(), two.get(1).weights(), "every replica holds the same weights");
        float worst = 0;
        for (int i = 0; i < plain.weights().length; i++) {
            worst = Math.max(worst, Math.abs(plain.weights()[i] - two.get(0).weights()[i]));
        }
        // the same gradient of the global batch's mean loss, up to the order of the additions
        assertTrue(worst < 1e-4, "largest difference from one process " + worst);
        EpochMetrics a = plain.history().last();
        EpochMetrics b = two.get(0).history().last();
        assertEquals(a.trainLoss(), b.trainLoss(), 1e-5, "the epoch's loss is that of all the shards");
        assertEquals(a.trainAccuracy(), b.trainAccuracy(), 1e-9);
        assertEquals(a.step(), b.step());
        long params = 2 * 32 + 32 + 32 * 2 + 2;
        assertEquals(params * 15 * EPOCHS, two.get(0).dp().floatsReduced(), "one gradient per step");
    }

    @Test
    void twoReplicasRepeatTheirBitsWithBatchNormAndDropout() throws Exception {
        List<Run> first = replicas(2, 1, true, true);
        List<Run> again = replicas(2, 1, true, true);
        assertArrayEquals(first.get(0).weights(), first.get(1).weights());
        assertArrayEquals(first.get(0).weights(), again.get(0).weights());
        double alone = train(0, null, 1, true, true).history().last().valAccuracy();
        double shared = first.get(0).history().last().valAccuracy();
        assertEquals(alone, shared, 0.05, "per-replica batch norm learns as well as one process");
    }

    @Test
    void localSgdAveragesTheWeights() throws Exception {
        List<Run> local = replicas(2, 4, false, false);
        assertArrayEquals(local.get(0).weights(), local.get(1).weights(), "averaged at the epoch's end");
        long params = 2 * 32 + 32 + 32 * 2 + 2;
        // 15 steps per epoch: averages after steps 4, 8, 12 of epoch 1, 16, 20, 24, 28 ..., and at each epoch's end
        long averages = 45 / 4 + EPOCHS;
        assertEquals(params * averages, local.get(0).dp().floatsReduced());
        double alone = train(0, null, 1, false, false).history().last().valLoss();
        double averaged = local.get(0).history().last().valLoss();
        assertTrue(averaged < 1.25 * alone, "local SGD's validation loss " + averaged + ", one process's " + alone);
    }

    @Test
    void shardsSplitEveryBatchInOrder() {
        Rng rng = new Rng(1);
        ArrayDataset data = Disc.generate(103, rng.split("d"));
        DataLoader whole = new DataLoader(data, 20, rng.split("s"));
        List<DataLoader> parts = List.of(new DataLoader(data, 20, rng.split("s")).shard(0, 3),
                new DataLoader(data, 20, rng.split("s")).shard(1, 3), new DataLoader(data, 20, rng.split("s")).shard(2, 3));
        try (BatchIterator w = whole.epoch(1)) {
            List<BatchIterator> ps = new ArrayList<>();
            parts.forEach(p -> ps.add(p.epoch(1)));
            int batches = 0;
            while (w.hasNext()) {
                Batch b = w.next();
                List<Float> joined = new ArrayList<>();
                for (BatchIterator p : ps) {
                    for (float v : p.next().y().data()) {
                        joined.add(v);
                    }
                }
                List<Float> expected = new ArrayList<>();
                for (float v : b.y().data()) {
                    expected.add(v);
                }
                assertEquals(expected, joined, "batch " + batches);
                batches++;
            }
            assertEquals(6, batches);
            ps.forEach(p -> assertTrue(!p.hasNext()));
            ps.forEach(BatchIterator::close);
        }
        assertEquals(6, parts.get(2).numBatches());
    }

    @Test
    void aBatchTooSmallToShareIsRefused() {
        ArrayDataset data = Disc.generate(41, new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(data, 20).shard(0, 2));
        assertTrue(e.getMessage().contains("the last batch has 1"), e.getMessage());
        new DataLoader(data, 20).shard(0, 1); // alone, any batch will do
    }
}
