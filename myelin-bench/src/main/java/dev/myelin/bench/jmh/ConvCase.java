package dev.myelin.bench.jmh;

import dev.myelin.kernel.ConvGeometry;
import dev.myelin.kernel.Convolution;
import dev.myelin.kernel.Kernels;
import java.util.Random;

/**
 * One convolution of the benchmarks with random operands: the layers of workload B
 * (../shared/BENCHMARKS.md) at batch 128, and of workload C's stem and stages (C.downN: the stride-2 convolution that opens a stage). Each pass is one
 * call of {@link Convolution}; {@link #gemmShapes()} names the per-sample matrix products the
 * passes run, in {@link GemmCase}'s notation, for comparing with the GEMM alone.
 */
public final class ConvCase {
    /** Named cases: workload B's two convolutions, workload C's 64-channel 3x3 convolution. */
    public static final String[] NAMES = {"B.conv1", "B.conv2", "C.stem", "C.conv16", "C.down32", "C.conv32",
        "C.down64", "C.conv64"};

    /** The three passes of a convolution. */
    public enum Pass { FORWARD, INPUT_GRAD, WEIGHT_GRAD }

    final String name;
    final ConvGeometry g;
    final float[] x;
    final float[] w;
    final float[] b;
    final float[] y;
    final float[] dx;
    final float[] dw;

    public ConvCase(String name) {
        this.name = name;
        this.g = switch (name) {
            case "B.conv1" -> new ConvGeometry(128, 1, 28, 28, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1);
            case "B.conv2" -> new ConvGeometry(128, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1);
            case "C.stem" -> new ConvGeometry(128, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1);
            case "C.conv16" -> new ConvGeometry(128, 16, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1);
            case "C.down32" -> new ConvGeometry(128, 16, 28, 28, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1);
            case "C.conv32" -> new ConvGeometry(128, 32, 14, 14, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1);
            case "C.down64" -> new ConvGeometry(128, 32, 14, 14, 64, 3, 3, 2, 2, 1, 1, 1, 1, 1);
            case "C.conv64" -> new ConvGeometry(128, 64, 7, 7, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1);
            default -> throw new IllegalArgumentException("conv case: expected one of "
                    + String.join(", ", NAMES) + ". Received: " + name);
        };
        Random r = new Random(42);
        x = random(r, g.batch() * g.inChannels() * g.inPlane());
        w = random(r, g.outChannels() * g.colRows());
        b = random(r, g.outChannels());
        y = random(r, g.batch() * g.outChannels() * g.outPlane());
        dx = new float[x.length];
        dw = new float[w.length];
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2f - 1f;
        }
        return v;
    }

    /** 2 · batch · out · P · K for every pass. */
    public double flops() {
        return 2.0 * g.macs();
    }

    /** Runs one pass ({@link #y} doubles as the output gradient of the backward passes). */
    public void run(Kernels k, Pass pass) {
        switch (pass) {
            case FORWARD -> Convolution.forward(k, g, x, w, b, y);
            case INPUT_GRAD -> Convolution.backwardInput(k, g, y, w, dx);
            case WEIGHT_GRAD -> Convolution.backwardWeight(k, g, x, y, dw);
        }
    }

    /** The per-sample GEMM of each pass: forward [O,K]·[K,P], input grad [O,K]ᵀ·[O,P], weight grad [O,P]·[K,P]ᵀ. */
    public String gemmShape(Pass pass) {
        int o = g.groupOut();
        int p = g.outPlane();
        int k = g.colRows();
        return switch (pass) {
            case FORWARD -> o + "x" + p + "x" + k + "/NN";
            case INPUT_GRAD -> k + "x" + p + "x" + o + "/TN";
            case WEIGHT_GRAD -> o + "x" + k + "x" + p + "/NT";
        };
    }
}
