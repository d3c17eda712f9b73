package dev.myelin.bench.jmh;

import dev.myelin.kernel.Kernels;
import java.util.Random;

/**
 * One matrix-multiply shape of the benchmarks, written {@code "MxNxK/XY"} where X and Y are
 * {@code N} (as stored) or {@code T} (transposed) for A and B, e.g. {@code "128x256x784/NT"}
 * for an MLP layer's forward x·Wᵀ with W stored [out, in]. Holds random operands so that
 * {@link #run(Kernels)} is one gemm call with beta = 0.
 */
public final class GemmCase {
    /** The MLP's products: forward x·Wᵀ, weight gradient gᵀ·x, input gradient g·W; and Linear(32, 32) at batch 100. */
    public static final String[] MLP = {
        "128x256x784/NT", "128x256x256/NT", "128x10x256/NT",
        "256x784x128/TN", "256x256x128/TN", "10x256x128/TN",
        "128x784x256/NN", "128x256x256/NN", "128x256x10/NN",
        "100x32x32/NT", "32x32x100/TN", "100x32x32/NN",
    };

    final String spec;
    final boolean transA;
    final boolean transB;
    final int m;
    final int n;
    final int k;
    final float[] a;
    final float[] b;
    final float[] c;

    public GemmCase(String spec) {
        this.spec = spec;
        String[] parts = spec.split("/");
        String[] mnk = parts[0].split("x");
        if (parts.length != 2 || mnk.length != 3 || parts[1].length() != 2) {
            throw new IllegalArgumentException("gemm case: expected MxNxK/XY like 128x256x784/NT. Received: " + spec);
        }
        m = Integer.parseInt(mnk[0]);
        n = Integer.parseInt(mnk[1]);
        k = Integer.parseInt(mnk[2]);
        transA = parts[1].charAt(0) == 'T';
        transB = parts[1].charAt(1) == 'T';
        Random r = new Random(42);
        a = random(r, m * k);
        b = random(r, k * n);
        c = new float[m * n];
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * 2f - 1f;
        }
        return x;
    }

    /** Floating-point operations of one call: 2·m·n·k. */
    public double flops() {
        return 2.0 * m * n * k;
    }

    /** C = op(A)·op(B) with densely stored operands. */
    public float[] run(Kernels kernels) {
        kernels.gemm(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, 0f, c, 0, n);
        return c;
    }
}
