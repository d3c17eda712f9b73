package dev.myelin.bench.jmh;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Two builds of Myelin timed in one JVM, their rounds alternating: on this noisy host whole runs
 * of one build swing by 10-30% from one run to the next, so a before/after figure from two
 * processes says little, while two builds measured round by round in one process share the
 * host's state. Each jar (a {@code myelin-bench.jar} of either build) gets its own class loader;
 * every case is warmed 3 rounds per build, then timed for {@code -Drounds=7} rounds of
 * {@code seconds} each, A then B; the figure is the median of each build and their ratio, with
 * the per-round ratios to show the spread.
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp myelin-bench/target/myelin-bench.jar \
 *     dev.myelin.bench.jmh.BuildAB OLD.jar NEW.jar SECONDS CASE...
 * </pre>
 * A case is a {@link ConvCase} pass, {@code C.conv16:forward} (GFLOP/s); {@code resnet}: one
 * training step of workload C at batch 128 on random data in a step-storage scope (ms); or
 * {@code gemm:128x256x784/NT}: a {@link GemmCase} (GFLOP/s); or {@code pool:28}: the 2x2 max
 * pooling kernel over 128 x 32 planes of 28 x 28 (ms). Both
 * builds share the process's cores, one at a time; each has its own thread pool.
 */
public final class BuildAB {
    private BuildAB() {
    }

    /** One timed unit of work. */
    interface Task {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            throw new IllegalArgumentException("usage: BuildAB OLD.jar NEW.jar SECONDS CASE... (a case: C.conv16:forward,"
                    + " or resnet)");
        }
        double seconds = Double.parseDouble(args[2]);
        int rounds = Integer.getInteger("rounds", 7);
        ClassLoader[] builds = new ClassLoader[2];
        for (int i = 0; i < 2; i++) {
            URL jar = new java.io.File(args[i]).toURI().toURL();
            builds[i] = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
        }
        for (String name : List.of(args).subList(3, args.length)) {
            Task[] tasks = new Task[2];
            double flops = 0;
            for (int i = 0; i < 2; i++) {
                if (name.equals("resnet")) {
                    tasks[i] = resnetStep(builds[i]);
                } else if (name.startsWith("gemm:")) {
                    flops = gemm(builds[i], name.substring(5), tasks, i);
                } else if (name.startsWith("pool:")) {
                    tasks[i] = maxPool(builds[i], Integer.parseInt(name.substring(5)));
                } else {
                    flops = convPass(builds[i], name, tasks, i);
                }
            }
            double[][] times = new double[2][rounds];
            for (int i = 0; i < 2; i++) {
                for (int w = 0; w < 3; w++) {
                    time(tasks[i], seconds);
                }
            }
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < 2; i++) {
                    times[i][r] = time(tasks[i], seconds);
                }
            }
            double a = median(times[0]);
            double b = median(times[1]);
            String figures = flops > 0
                    ? String.format(Locale.ROOT, "GFLOP/s A %.1f B %.1f", flops / a / 1e9, flops / b / 1e9)
                    : String.format(Locale.ROOT, "ms A %.2f B %.2f", a * 1e3, b * 1e3);
            StringBuilder ratios = new StringBuilder();
            for (int r = 0; r < rounds; r++) {
                ratios.append(String.format(Locale.ROOT, " %.2f", times[0][r] / times[1][r]));
            }
            System.out.printf(Locale.ROOT, "%-24s %s   B/A speed %.3f   (per round:%s)%n", name, figures, a / b, ratios);
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Seconds per run of {@code t}, over runs for at least {@code seconds}. */
    private static double time(Task t, double seconds) throws Exception {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int n = 0;
        do {
            t.run();
            n++;
        } while (System.nanoTime() < end);
        return (System.nanoTime() - start) / 1e9 / n;
    }

    /** tasks[i] = the build's {@link ConvCase} pass "NAME:PASS"; returns its flops. */
    private static double convPass(ClassLoader build, String spec, Task[] tasks, int i) throws Exception {
        String[] parts = spec.split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("a convolution case is NAME:PASS, e.g. C.conv16:forward; got " + spec);
        }
        Class<?> caseClass = build.loadClass("dev.myelin.bench.jmh.ConvCase");
        Class<?> passClass = build.loadClass("dev.myelin.bench.jmh.ConvCase$Pass");
        Class<?> kernelsClass = build.loadClass("dev.myelin.kernel.Kernels");
        Object c = caseClass.getConstructor(String.class).newInstance(parts[0]);
        Object pass = passClass.getMethod("valueOf", String.class).invoke(null, parts[1].toUpperCase(Locale.ROOT));
        Object kernels = build.loadClass("dev.myelin.kernel.VectorKernels").getMethod("createIfSupported").invoke(null);
        Method run = caseClass.getMethod("run", kernelsClass, passClass);
        tasks[i] = () -> run.invoke(c, kernels, pass);
        return (double) caseClass.getMethod("flops").invoke(c);
    }

    /** tasks[i] = the build's {@link GemmCase} "MxNxK/XY" on its vector kernels; returns its flops. */
    private static double gemm(ClassLoader build, String spec, Task[] tasks, int i) throws Exception {
        Class<?> caseClass = build.loadClass("dev.myelin.bench.jmh.GemmCase");
        Class<?> kernelsClass = build.loadClass("dev.myelin.kernel.Kernels");
        Object c = caseClass.getConstructor(String.class).newInstance(spec);
        Object kernels = build.loadClass("dev.myelin.kernel.VectorKernels").getMethod("createIfSupported").invoke(null);
        Method run = caseClass.getMethod("run", kernelsClass);
        tasks[i] = () -> run.invoke(c, kernels);
        return (double) caseClass.getMethod("flops").invoke(c);
    }

    /** The 2x2 max pooling kernel over 128 x 32 planes of size x size (workload B's first pool at 28). */
    private static Task maxPool(ClassLoader build, int size) throws Exception {
        Class<?> kernelsClass = build.loadClass("dev.myelin.kernel.Kernels");
        Object kernels = build.loadClass("dev.myelin.kernel.VectorKernels").getMethod("createIfSupported").invoke(null);
        Method pool = kernelsClass.getMethod("maxPool2x2", float[].class, int.class, int.class, int.class, int.class,
                float[].class, int[].class, int.class);
        int planes = 128 * 32;
        java.util.Random r = new java.util.Random(1);
        float[] x = new float[planes * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() - 0.5f;
        }
        float[] y = new float[planes * (size / 2) * (size / 2)];
        int[] argmax = new int[y.length];
        return () -> pool.invoke(kernels, x, 0, planes, size, size, y, argmax, 0);
    }

    /**
     * One training step of workload C (the bench's ResNet, SGD momentum 0.9) at batch 128 on
     * random images, in a step-storage scope as {@code Trainer} runs it.
     */
    private static Task resnetStep(ClassLoader build) throws Exception {
        Class<?> rngClass = build.loadClass("dev.myelin.tensor.Rng");
        Class<?> tensor = build.loadClass("dev.myelin.tensor.Tensor");
        Class<?> module = build.loadClass("dev.myelin.nn.Module");
        Object rng = rngClass.getConstructor(long.class).newInstance(0L);
        Method build0 = build.loadClass("dev.myelin.bench.Workloads").getDeclaredMethod("resnet", rngClass);
        build0.setAccessible(true);
        Object model = build0.invoke(null, rng);
        Object x = tensor.getMethod("randn", rngClass, int[].class).invoke(null, rng, new int[] {128, 1, 28, 28});
        float[] labels = new float[128];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        Object y = tensor.getMethod("of", float[].class, int[].class).invoke(null, labels, new int[] {128});
        List<?> params = (List<?>) module.getMethod("parameters").invoke(model);
        Method forward = module.getMethod("forward", tensor);
        module.getMethod("train").invoke(model);
        Class<?> sgdClass = build.loadClass("dev.myelin.optim.Sgd");
        Class<?> optionsClass = build.loadClass("dev.myelin.optim.Sgd$Options");
        Object options = optionsClass.getConstructors()[0].newInstance(0.05, 0.9, 0.0, 0.0, false);
        Object sgd = sgdClass.getConstructor(List.class, optionsClass).newInstance(params, options);
        Method step = sgdClass.getMethod("step");
        Class<?> lossClass = build.loadClass("dev.myelin.nn.Loss");
        Object loss = lossClass.getMethod("crossEntropy").invoke(null);
        Method apply = lossClass.getMethod("apply", tensor, tensor);
        Method backward = tensor.getMethod("backward");
        Class<?> poolClass = build.loadClass("dev.myelin.tensor.StoragePool");
        Object pool = poolClass.getConstructor().newInstance();
        Method open = poolClass.getMethod("open");
        Class<?> scopeClass = build.loadClass("dev.myelin.tensor.StoragePool$Scope");
        Method recycle = scopeClass.getMethod("recycleGradients", List.class);
        Method close = scopeClass.getMethod("close");
        return () -> {
            Object scope = open.invoke(pool);
            try {
                recycle.invoke(scope, params);
                backward.invoke(apply.invoke(loss, forward.invoke(model, x), y));
                step.invoke(sgd);
            } finally {
                close.invoke(scope);
            }
        };
    }
}
