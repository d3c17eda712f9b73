package dev.myelin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.ArrayDataset;
import dev.myelin.data.DataLoader;
import dev.myelin.nn.Activation;
import dev.myelin.nn.BasicBlock;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.BatchNorm2d;
import dev.myelin.nn.Conv2d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.MaxPool2d;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Adam;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.StoragePool;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.regularize.JacobianPenalty;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The trainer's {@link StoragePool}: reusing a step's arrays in the next step changes no bit of
 * the result, also when every released array is poisoned with NaN first (a read after release
 * would show), and in steady state a step allocates no array of a pooled size afresh, its
 * parameters' gradients included.
 */
class StepStorageTest {
    private static final int N = 96;

    private static ArrayDataset data(int[] shape, Rng rng) {
        int per = Tensor.numel(shape);
        float[] x = Tensor.randn(rng.split("x"), N * per).data();
        float[] y = new float[N];
        for (int i = 0; i < N; i++) {
            y[i] = x[i * per] > 0 ? 1 : 0;
        }
        return new ArrayDataset(x, shape, y, 2);
    }

    private static Module mlp(Rng rng) {
        return new Sequential(new Flatten(), new Linear(64, 48, rng.split("a")), new BatchNorm1d(48), Activation.relu(),
                new Dropout(0.2, rng.split("d")), new Linear(48, 48, rng.split("b")), Activation.relu(),
                new Dropout(0.2, rng.split("e")), new Linear(48, 2, rng.split("c")));
    }

    private static Module convnet(Rng rng) {
        return new Sequential(new Conv2d(1, 8, 3, 1, 1, rng.split("c1")), new BatchNorm2d(8), Activation.relu(),
                new BasicBlock(8, 8, 1, rng.split("b1")), new MaxPool2d(2), new Flatten(),
                new Dropout(0.1, rng.split("d")), new Linear(8 * 4 * 4, 2, rng.split("l")));
    }

    /** The parameters and buffers after training with this pool (and the pool's counters in the last two slots). */
    private static float[][] train(Function<Rng, Module> build, boolean jacobian, StoragePool pool) {
        Rng rng = new Rng(7);
        Module m = build.apply(rng.split("model"));
        Trainer t = new Trainer(m, Loss.crossEntropy(), new Adam(m.parameters(), Adam.Options.of(1e-2)))
                .storagePool(pool);
        if (jacobian) {
            t.addRegularizer(new JacobianPenalty(1e-3, 1, rng.split("jacobian")));
        }
        t.fit(new DataLoader(data(new int[] {1, 8, 8}, rng.split("data")), 32, rng.split("shuffle")), null, 3);
        return m.stateDict().values().stream().map(Tensor::toArray).toArray(float[][]::new);
    }

    private static void sameBitsWithPoisonedReuse(Function<Rng, Module> build, boolean jacobian) {
        float[][] fresh = train(build, jacobian, new StoragePool(0, false));
        StoragePool pool = new StoragePool(1 << 24, true);
        float[][] reused = train(build, jacobian, pool);
        assertEquals(fresh.length, reused.length);
        for (int i = 0; i < fresh.length; i++) {
            assertArrayEquals(fresh[i], reused[i], 0f, "state tensor " + i);
        }
        assertTrue(pool.reusedFloats() > 0, "the pool served no array");
    }

    @Test
    void anMlpWithBatchNormAndDropoutTrainsToTheSameBits() {
        sameBitsWithPoisonedReuse(StepStorageTest::mlp, false);
    }

    @Test
    void aConvNetWithAResidualBlockTrainsToTheSameBits() {
        sameBitsWithPoisonedReuse(StepStorageTest::convnet, false);
    }

    @Test
    void aDoubleBackwardPenaltyTrainsToTheSameBits() {
        sameBitsWithPoisonedReuse(StepStorageTest::mlp, true);
    }

    @Test
    void aSteadyStepAllocatesNothingAfresh() {
        Rng rng = new Rng(3);
        Module m = mlp(rng.split("model"));
        StoragePool pool = new StoragePool();
        Trainer t = new Trainer(m, Loss.crossEntropy(), new Adam(m.parameters(), Adam.Options.of(1e-2)))
                .storagePool(pool);
        DataLoader loader = new DataLoader(data(new int[] {1, 8, 8}, rng.split("data")), 32, rng.split("shuffle"));
        t.fit(loader, null, 1);
        long before = pool.allocatedFloats();
        long reusedBefore = pool.reusedFloats();
        t.fit(loader, null, 1); // again: three steps, now from a warm pool
        long perStep = (pool.allocatedFloats() - before) / 3;
        assertEquals(0, perStep, "floats a steady step allocated afresh in pooled sizes");
        assertTrue(pool.reusedFloats() - reusedBefore > 3 * 32 * 48, "too little was reused");
    }

    @Test
    void evaluationReusesEachBatchsArraysAndGivesTheSameNumbers() {
        Rng rng = new Rng(5);
        Module m = mlp(rng.split("model"));
        ArrayDataset d = data(new int[] {1, 8, 8}, rng.split("data"));
        Evaluation fresh = new Trainer(m, Loss.crossEntropy()).storagePool(new StoragePool(0, false))
                .evaluate(new DataLoader(d, 32));
        StoragePool pool = new StoragePool(1 << 24, true);
        Evaluation reused = new Trainer(m, Loss.crossEntropy()).storagePool(pool).evaluate(new DataLoader(d, 32));
        assertEquals(fresh.loss(), reused.loss(), 0.0);
        assertEquals(fresh.accuracy(), reused.accuracy(), 0.0);
        assertTrue(pool.reusedFloats() > 0, "no batch reused an array");
    }

    @Test
    void oneScopeAtATimePerThreadAndPool() {
        StoragePool pool = new StoragePool();
        try (StoragePool.Scope s = pool.open()) {
            assertThrows(IllegalStateException.class, pool::open);
            Throwable[] other = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    pool.open().close();
                } catch (Throwable e) {
                    other[0] = e;
                }
            });
            t.start();
            assertDoesNotThrow(() -> t.join());
            assertTrue(other[0] instanceof IllegalStateException, "a pool serves one thread at a time: " + other[0]);
        }
        pool.open().close(); // closed, so a new one opens
    }
}
