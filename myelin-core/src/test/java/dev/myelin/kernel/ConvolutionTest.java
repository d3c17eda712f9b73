package dev.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Convolution} (im2col + GEMM) on the vector and the scalar kernels against a direct
 * seven-loop convolution in double precision, at odd sizes and every option; and the vector
 * results do not depend on the thread count.
 */
class ConvolutionTest {
    private static final Kernels REF = new ScalarKernels();
    private static final Kernels VEC = VectorKernels.createIfSupported();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** batch, in, h, w, out, kh, kw, stride h/w, pad h/w, dilation h/w, groups. */
    static Stream<ConvGeometry> geometries() {
        return Stream.of(
                new ConvGeometry(3, 1, 7, 9, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1),      // workload B's first layer, odd size
                new ConvGeometry(2, 6, 13, 11, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1),    // stride 2
                new ConvGeometry(2, 4, 12, 10, 6, 3, 2, 1, 1, 2, 1, 2, 2, 1),    // dilation 2, non-square kernel
                new ConvGeometry(3, 6, 9, 9, 4, 3, 3, 1, 2, 0, 1, 1, 1, 2),      // groups 2, mixed strides
                new ConvGeometry(2, 6, 5, 7, 6, 3, 3, 1, 1, 1, 1, 1, 1, 6),      // depthwise
                new ConvGeometry(2, 5, 6, 7, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1),      // 1x1: reads x in place
                new ConvGeometry(17, 3, 8, 8, 7, 1, 1, 2, 2, 0, 0, 1, 1, 1),     // 1x1 stride 2 (a projection shortcut); > 2 weight blocks
                new ConvGeometry(1, 2, 4, 4, 3, 5, 5, 1, 1, 2, 2, 1, 1, 1),      // kernel as large as the padded input
                // >= 8 input channels, stride 1, one group: the input gradient is a transposed convolution
                new ConvGeometry(2, 8, 9, 7, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1),      // "same" padding (ResNet's 3x3)
                new ConvGeometry(2, 9, 10, 8, 4, 3, 2, 1, 1, 0, 1, 2, 1, 1),     // no padding in h, dilation 2, 3x2 kernel
                new ConvGeometry(1, 8, 6, 6, 3, 5, 5, 1, 1, 2, 2, 1, 1, 1));     // 5x5 kernel, padding 2
    }

    /**
     * For the stride-1 "same width" geometries, the slices of {@link PaddedInput}'s planes hold
     * im2col's matrix: col[row, oh·W + ow] = xp[offsets[row] + oh·wp + ow], for the second
     * group's channels where there are two; and {@link PaddedInput#compact} drops the extra
     * columns.
     */
    @ParameterizedTest
    @MethodSource("geometries")
    void paddedPlanesHoldTheUnfoldedMatrix(ConvGeometry g) {
        assumeTrue(g.isSameWidth(), "not a stride-1 convolution as wide as its input");
        float[] x = random(11, g.batch() * g.inChannels() * g.inPlane());
        int[][] ranges = Im2col.columnRanges(g);
        int kk = g.colRows();
        int p = g.outPlane();
        float[] col = new float[kk * p];
        int xOff = g.inChannels() == g.groupIn() ? 0 : g.groupIn() * g.inPlane();
        Im2col.im2col(g, ranges, x, xOff, col);
        PaddedInput in = PaddedInput.of(g, 32);
        float[] xp = new float[in.length()];
        in.copyIn(REF, x, xOff, xp);
        float[] unfolded = new float[kk * in.columns()];
        for (int row = 0; row < kk; row++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    assertEquals(col[row * p + oh * g.outW() + ow], xp[in.offsets()[row] + oh * in.wp() + ow],
                            "row " + row + ", output (" + oh + ", " + ow + ") of " + g);
                }
            }
            System.arraycopy(xp, in.offsets()[row], unfolded, row * in.columns(), in.columns());
        }
        float[] compact = new float[kk * p];
        in.compact(REF, unfolded, 0, kk, compact, 0);
        assertArrayEquals(col, compact, g.toString());
    }

    /** The geometries above that exercise {@link Convolution#transposed} (so the gradient test covers it). */
    @Test
    void inputGradientIsATransposedConvolutionExactlyWhereItCanBe() {
        List<ConvGeometry> all = geometries().toList();
        List<ConvGeometry> transposable = all.stream().filter(Convolution::isTransposable).toList();
        assertEquals(all.subList(all.size() - 3, all.size()), transposable);
        for (ConvGeometry g : transposable) {
            ConvGeometry t = Convolution.transposed(g);
            assertEquals(List.of(g.inH(), g.inW(), g.inChannels(), g.outChannels()),
                    List.of(t.outH(), t.outW(), t.outChannels(), t.inChannels()), g.toString());
        }
        // w'[c, o, kH-1-i, kW-1-j] = w[o, c, i, j]
        ConvGeometry g = all.get(all.size() - 2);
        float[] w = random(10, g.outChannels() * g.colRows());
        float[] f = Convolution.flipped(g, w);
        int o = 3;
        int c = 7;
        assertEquals(w[((o * g.inChannels() + c) * 3 + 2) * 2 + 0], f[((c * g.outChannels() + o) * 3 + 0) * 2 + 1]);
    }

    static float[] random(long seed, int n) {
        return VectorKernelsTest.random(seed, n, -1f, 1f);
    }

    /** y = conv(x, w) + b computed directly, in double. */
    static double[] direct(ConvGeometry g, float[] x, float[] w, float[] b) {
        double[] y = new double[g.batch() * g.outChannels() * g.outPlane()];
        for (int n = 0; n < g.batch(); n++) {
            for (int o = 0; o < g.outChannels(); o++) {
                int grp = o / g.groupOut();
                for (int i = 0; i < g.outH(); i++) {
                    for (int j = 0; j < g.outW(); j++) {
                        double s = b == null ? 0 : b[o];
                        for (int c = 0; c < g.groupIn(); c++) {
                            int ci = grp * g.groupIn() + c;
                            for (int u = 0; u < g.kernelH(); u++) {
                                for (int v = 0; v < g.kernelW(); v++) {
                                    int ih = i * g.strideH() - g.padH() + u * g.dilationH();
                                    int iw = j * g.strideW() - g.padW() + v * g.dilationW();
                                    if (ih >= 0 && ih < g.inH() && iw >= 0 && iw < g.inW()) {
                                        s += (double) w[((o * g.groupIn() + c) * g.kernelH() + u) * g.kernelW() + v]
                                                * x[((n * g.inChannels() + ci) * g.inH() + ih) * g.inW() + iw];
                                    }
                                }
                            }
                        }
                        y[((n * g.outChannels() + o) * g.outH() + i) * g.outW() + j] = s;
                    }
                }
            }
        }
        return y;
    }

    /** Σ y·dy, the scalar whose gradients the backward kernels compute. */
    static double project(double[] y, float[] dy) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += y[i] * dy[i];
        }
        return s;
    }

    private static void assertClose(String what, double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-4 + 1e-4 * Math.abs(expected[i]);
            if (Math.abs(expected[i] - actual[i]) > tol) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    static List<Kernels> kernels() {
        return VEC == null ? List.of(REF) : List.of(REF, VEC);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void forwardMatchesTheDirectConvolution(ConvGeometry g) {
        float[] x = random(1, g.batch() * g.inChannels() * g.inPlane());
        float[] w = random(2, g.outChannels() * g.colRows());
        float[] b = random(3, g.outChannels());
        double[] expected = direct(g, x, w, b);
        for (Kernels k : kernels()) {
            float[] y = new float[expected.length];
            java.util.Arrays.fill(y, Float.NaN); // previous contents are ignored
            Convolution.forward(k, g, x, w, b, y);
            assertClose(k.name() + " forward " + g, expected, y);
            Convolution.forward(k, g, x, w, null, y);
            assertClose(k.name() + " forward without bias " + g, direct(g, x, w, null), y);
        }
    }

    /**
     * The gradients against the direct convolution: Σ conv(x, w)·dy is bilinear, so its
     * gradient with respect to x[i] is the convolution of the unit vector e_i with w, dotted with dy.
     */
    @ParameterizedTest
    @MethodSource("geometries")
    void backwardPassesAreTheGradientsOfTheDirectConvolution(ConvGeometry g) {
        float[] x = random(4, g.batch() * g.inChannels() * g.inPlane());
        float[] w = random(5, g.outChannels() * g.colRows());
        float[] dy = random(6, g.batch() * g.outChannels() * g.outPlane());
        double[] dxExpected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            float[] e = new float[x.length];
            e[i] = 1f;
            dxExpected[i] = project(direct(g, e, w, null), dy);
        }
        double[] dwExpected = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            float[] e = new float[w.length];
            e[i] = 1f;
            dwExpected[i] = project(direct(g, x, e, null), dy);
        }
        for (Kernels k : kernels()) {
            float[] dx = new float[x.length];
            java.util.Arrays.fill(dx, Float.NaN);
            Convolution.backwardInput(k, g, dy, w, dx);
            assertClose(k.name() + " input gradient " + g, dxExpected, dx);
            float[] dw = new float[w.length];
            java.util.Arrays.fill(dw, Float.NaN);
            Convolution.backwardWeight(k, g, x, dy, dw);
            assertClose(k.name() + " weight gradient " + g, dwExpected, dw);
        }
    }

    @Test
    void vectorResultsAreIdenticalOnOneAndTwoThreads() {
        assumeTrue(VEC != null, "the vector kernels decline species under 256 bits");
        ConvGeometry g = new ConvGeometry(20, 8, 14, 14, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        float[] x = random(7, g.batch() * g.inChannels() * g.inPlane());
        float[] w = random(8, g.outChannels() * g.colRows());
        float[] dy = random(9, g.batch() * g.outChannels() * g.outPlane());
        float[][] one = run(g, x, w, dy, 1);
        float[][] two = run(g, x, w, dy, 2);
        float[][] three = run(g, x, w, dy, 3);
        for (int i = 0; i < one.length; i++) {
            assertArrayEquals(one[i], two[i], "output " + i + " on 1 vs 2 threads");
            assertArrayEquals(one[i], three[i], "output " + i + " on 1 vs 3 threads");
        }
    }

    private static float[][] run(ConvGeometry g, float[] x, float[] w, float[] dy, int threads) {
        Parallel.setThreads(threads);
        float[] y = new float[dy.length];
        float[] dx = new float[x.length];
        float[] dw = new float[w.length];
        Convolution.forward(VEC, g, x, w, null, y);
        Convolution.backwardInput(VEC, g, dy, w, dx);
        Convolution.backwardWeight(VEC, g, x, dy, dw);
        return new float[][] {y, dx, dw};
    }

    @Test
    void geometryRejectsWhatCannotBeConvolved() {
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(1, 1, 4, 4, 1, 7, 7, 1, 1, 1, 1, 1, 1, 1));
        assertTrue(big.getMessage().contains("larger than the padded input 6x6"), big.getMessage());
        IllegalArgumentException groups = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(1, 6, 4, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, 3));
        assertTrue(groups.getMessage().contains("groups"), groups.getMessage());
    }
}
