package dev.myelin.bench;

import dev.myelin.data.DataLoader;
import dev.myelin.data.Dataset;
import dev.myelin.kernel.KernelProvider;
import dev.myelin.kernel.Parallel;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Adam;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.StoragePool;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.EpochMetrics;
import dev.myelin.train.Evaluation;
import dev.myelin.train.History;
import dev.myelin.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs workloads of ../shared/BENCHMARKS.md in Myelin and, when PyTorch is installed, the
 * PyTorch twin ({@code bench/pytorch_reference.py}) in the same run, and prints both
 * throughputs and their ratio.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar myelin-bench/target/myelin-bench.jar [mlp|cnn|op|resnet|all]
 *      [--epochs N] [--threads N] [--train-limit N] [--no-torch] [--data DIR]
 * </pre>
 */
public final class BenchMain {
    private BenchMain() {
    }

    record Args(String workload, int epochs, int threads, int trainLimit, boolean torch, Path data) {
    }

    /** Runs the workloads; a bad argument or missing data ends with its message and exit code 2, not a trace. */
    public static void main(String[] argv) throws Exception {
        Args a;
        try {
            a = parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("myelin-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(a);
        } catch (dev.myelin.data.DataException e) {
            System.err.println("myelin-bench: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(Args a) throws Exception {
        Parallel.setThreads(a.threads());
        System.out.printf(Locale.ROOT, "myelin-bench: kernels %s, %d threads, java %s%n",
                KernelProvider.get().name(), a.threads(), System.getProperty("java.version"));
        if (a.workload().equals("mlp") || a.workload().equals("all")) {
            mlp(a);
        }
        if (a.workload().equals("cnn") || a.workload().equals("all")) {
            cnn(a);
        }
        if (a.workload().equals("op") || a.workload().equals("all")) {
            op(a);
        }
        if (a.workload().equals("resnet") || a.workload().equals("all")) {
            ResNetBench.run(a);
        }
    }

    /** argv[i] as a whole number of at least 1, for {@code option}. */
    private static int positive(String[] argv, int i, String option) {
        int v = count(argv, i, option);
        if (v < 1) {
            throw new IllegalArgumentException(option + ": expected a whole number >= 1, got '" + argv[i] + "'");
        }
        return v;
    }

    /** argv[i], the value after {@code option}. */
    private static String value(String[] argv, int i, String option) {
        if (i >= argv.length) {
            throw new IllegalArgumentException(option + " needs a value after it");
        }
        return argv[i];
    }

    /** argv[i] as a whole number of at least 0, for {@code option}; a clear message otherwise. */
    private static int count(String[] argv, int i, String option) {
        String text = value(argv, i, option);
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": expected a whole number >= 0, got '" + text + "'");
    }

    private static Args parse(String[] argv) {
        String w = "all";
        int epochs = 3;
        int threads = 2;
        int limit = 0;
        boolean torch = true;
        Path data = null;
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--epochs" -> epochs = positive(argv, ++i, "--epochs");
                case "--threads" -> threads = positive(argv, ++i, "--threads");
                case "--train-limit" -> limit = count(argv, ++i, "--train-limit");
                case "--no-torch" -> torch = false;
                case "--data" -> data = Path.of(value(argv, ++i, "--data"));
                case "mlp", "cnn", "op", "resnet", "all" -> w = argv[i];
                default -> throw new IllegalArgumentException("unknown argument '" + argv[i]
                        + "'; usage: [mlp|cnn|op|resnet|all] [--epochs N] [--threads N] [--train-limit N] [--no-torch] [--data DIR]");
            }
        }
        return new Args(w, epochs, threads, limit, torch, data);
    }

    /** Workload A: training throughput (epochs 2..N, steady state) and test accuracy. */
    private static void mlp(Args a) throws Exception {
        Sequential model = Workloads.mlp(new Rng(0).split("model"));
        classifier(a, "mlp", model, new Adam(model.parameters(), Adam.Options.of(1e-3)), 2.0);
    }

    /** Workload B: the two-convolution CNN with SGD momentum 0.9, lr 0.05. */
    private static void cnn(Args a) throws Exception {
        Sequential model = Workloads.cnn(new Rng(0).split("model"));
        classifier(a, "cnn", model, new Sgd(model.parameters(), new Sgd.Options(0.05, 0.9, 0, 0, false)), 1.5);
    }

    /**
     * Trains {@code model} on Fashion-MNIST at batch 128 and prints its three figures: whole-run
     * training throughput (every epoch, warm-up included), steady-state throughput (epochs 2..N)
     * and inference at batch 128 (and 1000), with the test accuracy; then the PyTorch twin's
     * figures with 1 and 2 threads measured in this run, and each ratio to PyTorch's best thread
     * setting.
     */
    private static void classifier(Args a, String name, Sequential model, Optimizer opt, double target) throws Exception {
        Dataset[] d = Workloads.fashion(a.data(), a.trainLimit());
        Trainer t = new Trainer(model, Loss.crossEntropy(), opt);
        DataLoader train = new DataLoader(d[0], 128, new Rng(0).split("shuffle"));
        History h = t.fit(train, null, a.epochs());
        Evaluation ev = t.evaluate(new DataLoader(d[1], 1000, false, false, 2, null));
        List<EpochMetrics> es = h.epochs();
        for (EpochMetrics m : es) {
            System.out.printf(Locale.ROOT, "[%s] epoch %d loss %.4f train %.2fs %.0f samples/s%n",
                    name, m.epoch(), m.trainLoss(), m.seconds(), m.samplesPerSecond());
        }
        Figures mine = new Figures(rate(es, 0), rate(es, es.size() > 1 ? 1 : 0), inferenceRate(model, d[1], 128));
        System.out.printf(Locale.ROOT, "[%s] myelin: %s; inference %.0f/s at batch 1000; test accuracy %.4f after %d"
                + " epochs%n", name, mine, inferenceRate(model, d[1], 1000), ev.accuracy(), a.epochs());
        if (!a.torch()) {
            return;
        }
        Figures best = null;
        for (int th : new int[] {1, 2}) {
            String json = PyTorchTwin.run(a, th, name, "--epochs", Integer.toString(a.epochs()));
            if (json == null) {
                return;
            }
            Figures f = new Figures(PyTorchTwin.number(json, "train_samples_per_s_all"),
                    a.epochs() > 1 ? PyTorchTwin.number(json, "train_samples_per_s_steady")
                            : PyTorchTwin.number(json, "train_samples_per_s_all"),
                    PyTorchTwin.number(json, "inference_samples_per_s_b128"));
            System.out.printf(Locale.ROOT, "[%s] pytorch %d thread(s): %s; test accuracy %.4f%n", name, th, f,
                    PyTorchTwin.lastNumber(json, "test_acc"));
            best = best == null ? f : best.max(f);
        }
        System.out.printf(Locale.ROOT, "[%s] ratio myelin/pytorch-best: whole run %.2fx (target >= %.1f), steady"
                        + " %.2fx, inference %.2fx%n", name, mine.whole() / best.whole(), target,
                mine.steady() / best.steady(), mine.inference() / best.inference());
    }

    /** A workload's three throughputs in samples per second. */
    record Figures(double whole, double steady, double inference) {
        Figures max(Figures o) {
            return new Figures(Math.max(whole, o.whole), Math.max(steady, o.steady), Math.max(inference, o.inference));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "training %.0f samples/s whole run (warm-up included), %.0f steady;"
                    + " inference %.0f/s at batch 128", whole, steady, inference);
        }
    }

    /** Passes over the test set an inference figure is the best of, on both sides (the machines are noisy). */
    static final int INFERENCE_PASSES = 5;

    /**
     * Test samples per second through the model in eval mode without a graph, at one batch size,
     * measured as the twin measures it: the batches are built before the timer, one batch warms
     * up, and the figure is the best of {@link #INFERENCE_PASSES} passes over the test set. Each
     * batch runs in an evaluation scope of one {@link StoragePool}, as a serving loop would.
     */
    private static double inferenceRate(Module model, Dataset test, int batch) {
        List<Tensor> batches = new ArrayList<>();
        for (int s = 0; s < test.size(); s += batch) {
            batches.add(test.features(java.util.stream.IntStream.range(s, Math.min(test.size(), s + batch)).toArray()));
        }
        return inferenceRate(model, batches);
    }

    /** Samples per second through {@code model} over {@code batches}, measured as above. */
    static double inferenceRate(Module model, List<Tensor> batches) {
        int samples = batches.stream().mapToInt(b -> b.size(0)).sum();
        boolean wasTraining = model.isTraining();
        model.eval();
        StoragePool pool = new StoragePool();
        double best = 0;
        try (GradMode.Scope noGrad = GradMode.noGrad()) {
            forward(model, pool, batches.get(0));
            for (int pass = 0; pass < INFERENCE_PASSES; pass++) {
                long t0 = System.nanoTime();
                for (Tensor b : batches) {
                    forward(model, pool, b);
                }
                best = Math.max(best, samples / ((System.nanoTime() - t0) / 1e9));
            }
        } finally {
            model.train(wasTraining);
        }
        return best;
    }

    private static void forward(Module model, StoragePool pool, Tensor batch) {
        try (StoragePool.Scope s = pool.openEvaluation()) {
            model.forward(batch);
        }
    }

    /** Training samples per second over epochs {@code from}.. (0-based) of the run. */
    private static double rate(List<EpochMetrics> es, int from) {
        double samples = 0;
        double seconds = 0;
        for (int i = from; i < es.size(); i++) {
            samples += es.get(i).samplesPerSecond() * es.get(i).seconds();
            seconds += es.get(i).seconds();
        }
        return samples / seconds;
    }

    /**
     * Workload E: Linear(784,256)+ReLU forward+backward at batch 128, and Linear(32,32) at batch
     * 100; each step in a scope of one {@link StoragePool}, as the trainer runs its steps (PyTorch's
     * caching allocator reuses its blocks the same way).
     */
    private static void op(Args a) throws Exception {
        for (int[] s : new int[][] {{784, 256, 128, 1000}, {32, 32, 100, 5000}}) {
            Rng rng = new Rng(0);
            Linear lin = new Linear(s[0], s[1], rng);
            Tensor x = Tensor.randn(rng, s[2], s[0]);
            Tensor g = Tensor.randn(rng, s[2], s[1]);
            StoragePool pool = new StoragePool(); // as Trainer steps: the arrays, gradients included, reused
            Runnable step = () -> {
                try (StoragePool.Scope scope = pool.open()) {
                    scope.recycleGradients(lin.parameters());
                    lin.forward(x).relu().backward(g, false);
                }
            };
            double us = timeMicros(step, s[3]);
            double gflops = 4.0 * s[0] * s[1] * s[2] / (us * 1e3);
            System.out.printf(Locale.ROOT, "[op] Linear(%d,%d)+ReLU batch %d fwd+bwd: %.1f us/step (%.1f GFLOP/s)%n",
                    s[0], s[1], s[2], us, gflops);
            if (!a.torch()) {
                continue;
            }
            double best = Double.POSITIVE_INFINITY;
            for (int th : new int[] {1, 2}) {
                String json = PyTorchTwin.run(a, th, "op", "--iters", "200", "--repeats", "5");
                if (json == null) {
                    break;
                }
                List<Double> torch = PyTorchTwin.numbersAfter(json, "\"fwd_bwd_param_grads\"", "median_us");
                double tus = torch.get(s[0] == 784 ? 0 : 1);
                System.out.printf(Locale.ROOT, "[op] pytorch %d thread(s): %.1f us/step%n", th, tus);
                best = Math.min(best, tus);
            }
            if (best < Double.POSITIVE_INFINITY) {
                System.out.printf(Locale.ROOT, "[op] ratio myelin/pytorch-best %.2fx (target >= 1.5)%n", best / us);
            }
        }
    }

    private static double timeMicros(Runnable r, int iters) {
        for (int i = 0; i < iters / 2; i++) {
            r.run();
        }
        List<Double> res = new ArrayList<>();
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                r.run();
            }
            res.add((System.nanoTime() - t0) / 1e3 / iters);
        }
        res.sort(null);
        return res.get(res.size() / 2);
    }
}
