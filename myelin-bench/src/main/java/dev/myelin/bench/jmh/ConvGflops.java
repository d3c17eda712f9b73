package dev.myelin.bench.jmh;

import dev.myelin.kernel.Kernels;
import dev.myelin.kernel.VectorKernels;
import java.util.Locale;

/**
 * GFLOP/s of the convolution kernels ({@link ConvCase}: workload B's layers at batch 128) next to
 * the GEMM's own GFLOP/s at each pass's per-sample product, on 1 and 2 threads, with
 * {@link GemmGflops}' method (median and best of several rounds after a warm-up). The gap
 * between the two columns is what im2col/col2im and the per-sample split cost.
 * <pre>
 * java --add-modules jdk.incubator.vector -cp myelin-bench/target/myelin-bench.jar \
 *     dev.myelin.bench.jmh.ConvGflops [--seconds=0.3] [B.conv1 B.conv2 C.conv64]
 * </pre>
 */
public final class ConvGflops {
    private ConvGflops() {
    }

    public static void main(String[] args) {
        double seconds = 0.3;
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--seconds=")) {
                seconds = Double.parseDouble(arg.substring(10));
            } else {
                names.add(arg);
            }
        }
        if (names.isEmpty()) {
            names.addAll(java.util.List.of(ConvCase.NAMES));
        }
        Kernels k = VectorKernels.createIfSupported();
        if (k == null) {
            throw new IllegalStateException("the vector kernels need 256-bit vectors or wider");
        }
        System.out.printf("%-22s %-16s %16s %16s %16s %16s   GFLOP/s: median (best)%n",
                "conv pass", "gemm per sample", "conv 1t", "conv 2t", "gemm 1t", "gemm 2t");
        for (String name : names) {
            ConvCase c = new ConvCase(name);
            for (ConvCase.Pass pass : ConvCase.Pass.values()) {
                GemmCase gemm = new GemmCase(c.gemmShape(pass));
                StringBuilder line = new StringBuilder(String.format("%-22s %-16s", name + " " + pass.name().toLowerCase(Locale.ROOT),
                        c.gemmShape(pass)));
                for (int t = 1; t <= 2; t++) {
                    line.append(cell(GemmGflops.gflops(() -> c.run(k, pass), c.flops(), t, seconds)));
                }
                for (int t = 1; t <= 2; t++) {
                    line.append(cell(GemmGflops.gflops(gemm, k, t, seconds)));
                }
                System.out.println(line);
            }
        }
    }

    private static String cell(double[] rate) {
        return String.format(Locale.ROOT, " %16s", String.format(Locale.ROOT, "%.1f (%.1f)", rate[0], rate[1]));
    }
}
