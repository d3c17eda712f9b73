package dev.myelin.bench.jmh;

import dev.myelin.kernel.AdamStep;
import dev.myelin.kernel.Kernels;
import dev.myelin.kernel.ScalarKernels;
import dev.myelin.kernel.VectorKernels;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Times one Adam update over workload A's parameters (Linear 784x256, 256x256, 256x10 with
 * biases and two BatchNorm1d(256): 269,322 floats in 10 tensors), scalar reference against the
 * Vector API kernel; median and best of several rounds, in microseconds per optimizer step.
 * <pre>
 * java --add-modules jdk.incubator.vector -cp myelin-bench/target/myelin-bench.jar \
 *     dev.myelin.bench.jmh.AdamStepTiming [--rounds=15] [--amsgrad]
 * </pre>
 */
public final class AdamStepTiming {
    private static final int[] SIZES = {784 * 256, 256, 256, 256, 256 * 256, 256, 256, 256, 256 * 10, 10};
    private static final int STEPS_PER_ROUND = 200;

    private AdamStepTiming() {
    }

    public static void main(String[] args) {
        int rounds = 15;
        boolean amsgrad = false;
        for (String a : args) {
            if (a.startsWith("--rounds=")) {
                rounds = Integer.parseInt(a.substring(9));
            } else if (a.equals("--amsgrad")) {
                amsgrad = true;
            }
        }
        for (Kernels k : new Kernels[] {new ScalarKernels(), VectorKernels.createIfSupported()}) {
            if (k != null) {
                double[] us = time(k, rounds, amsgrad);
                System.out.printf(Locale.ROOT, "adam step, %d floats, %-16s median %8.1f us  best %8.1f us%n",
                        Arrays.stream(SIZES).sum(), k.name(), us[rounds / 2], us[0]);
            }
        }
    }

    private static double[] time(Kernels k, int rounds, boolean amsgrad) {
        Random r = new Random(1);
        float[][][] t = new float[SIZES.length][][];
        for (int i = 0; i < SIZES.length; i++) {
            int n = SIZES[i];
            t[i] = new float[][] {random(r, n), random(r, n), new float[n], new float[n], amsgrad ? new float[n] : null};
        }
        double[] us = new double[rounds];
        for (int round = -3; round < rounds; round++) { // three warm-up rounds
            long t0 = System.nanoTime();
            for (int s = 1; s <= STEPS_PER_ROUND; s++) {
                AdamStep c = AdamStep.of(1e-3, 0.9, 0.999, 1e-8, 0, s);
                for (float[][] x : t) {
                    k.adam(x[0], x[1], x[2], x[3], x[4], x[0].length, c);
                }
            }
            if (round >= 0) {
                us[round] = (System.nanoTime() - t0) / 1e3 / STEPS_PER_ROUND;
            }
        }
        Arrays.sort(us);
        return us;
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
