package dev.myelin.bench;

import dev.myelin.data.Batch;
import dev.myelin.data.BatchIterator;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Dataset;
import dev.myelin.nn.Loss;
import dev.myelin.nn.ResNet;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.StoragePool;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Workload C (resnet) of ../shared/BENCHMARKS.md the way bench/pytorch_reference.py's
 * {@code resnet} measures it: training throughput over 50 batches of 128 after 3 warm-up
 * batches (forward, backward, SGD step; the batches are built before the timer), then inference
 * throughput in eval mode at batch 128 over 2,560 test images (the best of 5 passes, as the twin);
 * PyTorch's twin in the same run.
 */
final class ResNetBench {
    static final int BATCH = 128;
    static final int WARMUP = 3;
    static final int TIMED = 50;

    private ResNetBench() {
    }

    static void run(BenchMain.Args a) throws Exception {
        Dataset[] d = Workloads.fashion(a.data(), a.trainLimit());
        Rng rng = new Rng(0);
        Sequential model = Workloads.resnet(rng.split("model"));
        Sgd opt = new Sgd(model.parameters(), new Sgd.Options(0.05, 0.9, 0, 0, false));
        List<Batch> batches = take(new DataLoader(d[0], BATCH, rng.split("shuffle")), WARMUP + TIMED);
        model.train();
        List<Double> times = new ArrayList<>();
        StoragePool pool = new StoragePool(); // as Trainer steps: each step's arrays reused in the next
        for (Batch b : batches) {
            long t0 = System.nanoTime();
            try (StoragePool.Scope scope = pool.open()) {
                scope.recycleGradients(model.parameters());
                Loss.crossEntropy().apply(model.forward(b.x()), b.y()).backward();
                opt.step();
            }
            times.add((System.nanoTime() - t0) / 1e9);
        }
        if (Boolean.getBoolean("myelin.bench.poolStats")) {
            System.out.printf(Locale.ROOT, "[resnet] pool: %.0f MB allocated, %.0f MB reused, %.0f MB free%n",
                    pool.allocatedFloats() * 4e-6, pool.reusedFloats() * 4e-6, pool.freeFloats() * 4e-6);
        }
        BenchMain.Figures mine = new BenchMain.Figures(BATCH * times.size() / sum(times),
                BATCH * TIMED / sum(times.subList(WARMUP, times.size())),
                inference(model, take(new DataLoader(d[1], BATCH, false, false, 2, null), 20)));
        System.out.printf(Locale.ROOT, "[resnet] myelin: %s (whole run: all %d batches of %d; steady: the %d after %d"
                + " warm-up; first batch %.2fs)%n", mine, WARMUP + TIMED, BATCH, TIMED, WARMUP, times.get(0));
        if (!a.torch()) {
            return;
        }
        BenchMain.Figures best = null;
        for (int th : new int[] {1, 2}) {
            String json = PyTorchTwin.run(a, th, "resnet");
            if (json == null) {
                return;
            }
            BenchMain.Figures torch = new BenchMain.Figures(PyTorchTwin.number(json, "train_samples_per_s_all"),
                    PyTorchTwin.number(json, "train_samples_per_s"), PyTorchTwin.number(json, "inference_samples_per_s_b128"));
            System.out.printf(Locale.ROOT, "[resnet] pytorch %d thread(s): %s%n", th, torch);
            best = best == null ? torch : best.max(torch);
        }
        System.out.printf(Locale.ROOT, "[resnet] ratio myelin/pytorch-best: whole run %.2fx, steady %.2fx (target >= 1.5),"
                + " inference %.2fx (target >= 1.0)%n", mine.whole() / best.whole(), mine.steady() / best.steady(),
                mine.inference() / best.inference());
    }

    private static double sum(List<Double> xs) {
        return xs.stream().mapToDouble(x -> x).sum();
    }

    private static List<Batch> take(DataLoader loader, int n) {
        List<Batch> out = new ArrayList<>();
        try (BatchIterator it = loader.iterator()) {
            while (it.hasNext() && out.size() < n) {
                out.add(it.next());
            }
        }
        return out;
    }

    private static double inference(Sequential model, List<Batch> batches) {
        return BenchMain.inferenceRate(model, batches.stream().map(Batch::x).toList());
    }
}
