package dev.myelin.bench;

import dev.myelin.kernel.KernelProvider;
import dev.myelin.nn.Activation;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Nanoseconds per element of one forward and backward pass of each activation layer on a
 * [256, 1024] batch (the autograd path training takes), with the kernels the process chose;
 * the median and the best of several rounds after a warm-up. Run it twice to compare the
 * vector kernels with the scalar reference:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp myelin-bench/target/myelin-bench.jar dev.myelin.bench.ActivationSpeed
 * java --add-modules jdk.incubator.vector -Dmyelin.kernels=scalar -cp ... dev.myelin.bench.ActivationSpeed
 * </pre>
 */
public final class ActivationSpeed {
    private static final int ROUNDS = 15;
    private static final int REPS = 10;

    private ActivationSpeed() {
    }

    public static void main(String[] args) {
        Map<String, Supplier<Activation>> acts = new LinkedHashMap<>();
        acts.put("relu", Activation::relu);
        acts.put("leaky_relu", () -> Activation.leakyRelu(0.01));
        acts.put("elu", () -> Activation.elu(1.0));
        acts.put("selu", Activation::selu);
        acts.put("gelu", () -> Activation.gelu("none"));
        acts.put("gelu_tanh", () -> Activation.gelu("tanh"));
        acts.put("silu", Activation::silu);
        acts.put("mish", Activation::mish);
        acts.put("hardtanh", () -> Activation.hardtanh(-1, 1));
        acts.put("tanh", Activation::tanh);
        Tensor x = Tensor.randn(new Rng(1), 256, 1024);
        Tensor g = Tensor.randn(new Rng(2), 256, 1024);
        System.out.printf("kernels %s; ns per element, forward + backward, [256, 1024]: median (best) of %d rounds%n",
                KernelProvider.get().name(), ROUNDS);
        for (Map.Entry<String, Supplier<Activation>> e : acts.entrySet()) {
            double[] r = time(e.getValue().get(), x, g);
            System.out.printf(Locale.ROOT, "%-12s %7.2f (%.2f)%n", e.getKey(), r[0], r[1]);
        }
    }

    private static double[] time(Activation a, Tensor x, Tensor g) {
        round(a, x, g);
        List<Double> ns = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            ns.add(round(a, x, g));
        }
        ns.sort(null);
        return new double[] {ns.get(ROUNDS / 2), ns.get(0)};
    }

    private static double round(Activation a, Tensor x, Tensor g) {
        long t0 = System.nanoTime();
        for (int i = 0; i < REPS; i++) {
            Tensor in = x.detach().requiresGrad(true);
            a.forward(in).backward(g, false);
        }
        return (System.nanoTime() - t0) / (double) REPS / x.numel();
    }
}
