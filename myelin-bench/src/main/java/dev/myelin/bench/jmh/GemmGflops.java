package dev.myelin.bench.jmh;

import dev.myelin.kernel.Kernels;
import dev.myelin.kernel.Parallel;
import dev.myelin.kernel.ScalarKernels;
import dev.myelin.kernel.VectorKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A quick GFLOP/s table without JMH: each MLP shape ({@link GemmCase#MLP}), scalar against
 * vector kernels, on 1 and 2 threads; the median of several timed rounds after a warm-up.
 * <pre>
 * java --add-modules jdk.incubator.vector -cp myelin-bench/target/myelin-bench.jar \
 *     dev.myelin.bench.jmh.GemmGflops [--seconds=0.3] [--kernels=scalar,vector] [MxNxK/XY ...]
 * </pre>
 */
public final class GemmGflops {
    private static final int ROUNDS = 9;

    private GemmGflops() {
    }

    public static void main(String[] args) {
        double seconds = 0.3;
        String kernelNames = "scalar,vector";
        List<String> shapes = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--seconds=")) {
                seconds = Double.parseDouble(arg.substring(10));
            } else if (arg.startsWith("--kernels=")) {
                kernelNames = arg.substring(10);
            } else {
                shapes.add(arg);
            }
        }
        if (shapes.isEmpty()) {
            shapes.addAll(Arrays.asList(GemmCase.MLP));
        }
        List<Kernels> kernels = new ArrayList<>();
        for (String name : kernelNames.split(",")) {
            kernels.add("scalar".equals(name) ? new ScalarKernels() : VectorKernels.createIfSupported());
        }
        table(shapes, kernels, seconds);
    }

    private static void table(List<String> shapes, List<Kernels> kernels, double seconds) {
        StringBuilder head = new StringBuilder(String.format("%-16s", "shape"));
        for (Kernels k : kernels) {
            String name = k == null ? "none" : k.name();
            head.append(String.format(" %20s %20s", name + " 1t", name + " 2t"));
        }
        System.out.println(head + String.format("   GFLOP/s: median (best) of %d rounds of %.2f s", ROUNDS, seconds));
        for (String s : shapes) {
            GemmCase g = new GemmCase(s);
            StringBuilder line = new StringBuilder(String.format("%-16s", s));
            for (Kernels k : kernels) {
                for (int threads = 1; threads <= 2; threads++) {
                    double[] rate = k == null ? new double[] {Double.NaN, Double.NaN} : gflops(g, k, threads, seconds);
                    line.append(String.format(Locale.ROOT, " %20s", String.format(Locale.ROOT, "%.1f (%.1f)", rate[0], rate[1])));
                }
            }
            System.out.println(line);
        }
    }

    /**
     * The median and the best GFLOP/s over {@link #ROUNDS} rounds of about {@code seconds} each,
     * after one warm-up round. On a shared machine the best round is the one least disturbed.
     */
    static double[] gflops(GemmCase g, Kernels k, int threads, double seconds) {
        return gflops(() -> g.run(k), g.flops(), threads, seconds);
    }

    /** The same for any call that performs {@code flops} floating-point operations. */
    static double[] gflops(Runnable call, double flops, int threads, double seconds) {
        Parallel.setThreads(threads);
        round(call, flops, seconds);
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            rates.add(round(call, flops, seconds));
        }
        rates.sort(null);
        return new double[] {rates.get(ROUNDS / 2), rates.get(ROUNDS - 1)};
    }

    private static double round(Runnable call, double flops, double seconds) {
        long calls = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long now;
        do {
            call.run();
            calls++;
            now = System.nanoTime();
        } while (now < deadline);
        return flops * calls / (now - start);
    }
}
