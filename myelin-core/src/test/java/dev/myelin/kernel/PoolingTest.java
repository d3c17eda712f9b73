package dev.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link PoolWindows} against PyTorch's window formulas and {@link Pooling} against direct loops. */
class PoolingTest {
    private static final Kernels REF = new ScalarKernels();
    private static final Kernels VEC = VectorKernels.createIfSupported();

    @Test
    void slidingWindowsClipAtThePaddingAndCountItWhenAsked() {
        PoolWindows w = PoolWindows.sliding(5, 3, 2, 1, true);
        assertArrayEquals(new int[] {0, 1, 3}, w.start());
        assertArrayEquals(new int[] {2, 4, 5}, w.end());
        assertArrayEquals(new int[] {3, 3, 3}, w.divisor());
        assertArrayEquals(new int[] {2, 3, 2}, PoolWindows.sliding(5, 3, 2, 1, false).divisor());
        assertEquals(3, PoolWindows.sliding(7, 2, 2, 0, true).count(), "floor, as ceil_mode=False");
    }

    @Test
    void adaptiveWindowsAreTorchs() {
        // torch: start = floor(i*in/out), end = ceil((i+1)*in/out); 10 -> 4 gives [0,3) [2,5) [5,8) [7,10)
        PoolWindows w = PoolWindows.adaptive(10, 4);
        assertArrayEquals(new int[] {0, 2, 5, 7}, w.start());
        assertArrayEquals(new int[] {3, 5, 8, 10}, w.end());
        PoolWindows global = PoolWindows.adaptive(7, 1);
        assertArrayEquals(new int[] {0}, global.start());
        assertArrayEquals(new int[] {7}, global.end());
    }

    @Test
    void badWindowsSayWhatIsWrong() {
        IllegalArgumentException pad = assertThrows(IllegalArgumentException.class, () -> PoolWindows.sliding(8, 2, 2, 2, true));
        assertTrue(pad.getMessage().contains("padding <= kernel/2"), pad.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> PoolWindows.sliding(3, 5, 1, 0, true));
        assertTrue(big.getMessage().contains("larger than the padded input 3"), big.getMessage());
    }

    @Test
    void maxPoolingFindsTheMaximumAndRoutesTheGradientThere() {
        // two planes of 3x4, 2x2 windows, stride 2: one output row of two
        float[] x = {
            1, 5, 2, 0,
            3, 4, 9, 8,
            7, 7, 7, 7,
            -1, -2, -3, -4,
            -5, -6, -7, -8,
            0, 0, 0, 0};
        PoolWindows rows = PoolWindows.sliding(3, 2, 2, 0, true);
        PoolWindows cols = PoolWindows.sliding(4, 2, 2, 0, true);
        float[] y = new float[4];
        int[] arg = new int[4];
        Pooling.maxForward(REF, x, 2, rows, cols, y, arg);
        assertArrayEquals(new float[] {5, 9, -1, -3}, y);
        assertArrayEquals(new int[] {1, 6, 12, 14}, arg);
        float[] dx = new float[x.length];
        java.util.Arrays.fill(dx, Float.NaN);
        Pooling.maxBackward(new float[] {1, 2, 3, 4}, arg, 2, 2, 12, dx);
        float[] expected = new float[x.length];
        expected[1] = 1;
        expected[6] = 2;
        expected[12] = 3;
        expected[14] = 4;
        assertArrayEquals(expected, dx);
    }

    @Test
    void maxPoolingPropagatesNaNAsTorchDoes() {
        float[] x = {1, Float.NaN, 3, 2};
        float[] y = new float[1];
        int[] arg = new int[1];
        Pooling.maxForward(REF, x, 1, PoolWindows.sliding(2, 2, 2, 0, true), PoolWindows.sliding(2, 2, 2, 0, true), y, arg);
        assertTrue(Float.isNaN(y[0]));
        assertEquals(1, arg[0]);
    }

    @Test
    void averagePoolingAndItsAdjoint() {
        // one 3x3 plane, 2x2 windows, stride 1, padding 1, with and without counting the padding
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        for (boolean countPad : new boolean[] {true, false}) {
            PoolWindows w = PoolWindows.sliding(3, 2, 1, 1, countPad);
            float[] y = new float[16];
            Pooling.avgForward(x, 1, w, w, y);
            assertEquals(countPad ? 1 / 4f : 1f, y[0], 1e-6);
            assertEquals((1 + 2 + 4 + 5) / 4f, y[5], 1e-6);
            assertEquals(countPad ? (3 + 6) / 4f : (3 + 6) / 2f, y[7], 1e-6);
            // adjoint: <avg(x), dy> = <x, avgBackward(dy)>
            float[] dy = ConvolutionTest.random(11, 16);
            float[] dx = new float[9];
            Pooling.avgBackward(dy, 1, w, w, dx);
            double lhs = 0;
            double rhs = 0;
            for (int i = 0; i < 16; i++) {
                lhs += (double) y[i] * dy[i];
            }
            for (int i = 0; i < 9; i++) {
                rhs += (double) x[i] * dx[i];
            }
            assertEquals(lhs, rhs, 1e-5);
        }
    }

    @Test
    void manyPlanesSplitAcrossThreadsGiveTheSameResult() {
        int planes = 300;
        float[] x = ConvolutionTest.random(12, planes * 28 * 28);
        PoolWindows w = PoolWindows.sliding(28, 2, 2, 0, true);
        float[] y1 = new float[planes * 14 * 14];
        float[] y2 = new float[y1.length];
        int[] a1 = new int[y1.length];
        int[] a2 = new int[y1.length];
        try {
            Parallel.setThreads(1);
            Pooling.maxForward(KernelProvider.get(), x, planes, w, w, y1, a1);
            Parallel.setThreads(2);
            Pooling.maxForward(KernelProvider.get(), x, planes, w, w, y2, a2);
        } finally {
            Parallel.setThreads(Runtime.getRuntime().availableProcessors());
        }
        assertArrayEquals(y1, y2);
        assertArrayEquals(a1, a2);
        for (int i = 0; i < y1.length; i++) {
            assertEquals(x[a1[i]], y1[i]);
        }
    }

    /**
     * The 2x2 / stride 2 kernels (vector and scalar) against the general window loop (3x3 windows
     * reduced to 2x2 through padding-free sliding windows of size 2 are the same windows) at odd
     * sizes, with ties, NaNs and infinities sprinkled in.
     */
    @Test
    void maxPool2x2KernelsAgreeWithTheGeneralLoop() {
        for (int[] hw : new int[][] {{2, 2}, {7, 13}, {13, 7}, {28, 28}, {5, 35}, {3, 100}}) {
            int planes = 3;
            int h = hw[0];
            int w = hw[1];
            float[] x = VectorKernelsTest.random(h * 31 + w, planes * h * w, -2f, 2f);
            for (int i = 0; i < x.length; i += 11) {
                x[i] = x[(i + 1) % x.length]; // ties
            }
            x[5 % x.length] = Float.NaN;
            x[(3 * w + 2) % x.length] = Float.NEGATIVE_INFINITY;
            x[(w + 1) % x.length] = Float.NaN;
            int outs = planes * (h / 2) * (w / 2);
            float[] expected = new float[outs];
            int[] expectedArg = new int[outs];
            general(x, planes, h, w, expected, expectedArg);
            for (Kernels k : VEC == null ? java.util.List.of(REF) : java.util.List.of(REF, VEC)) {
                float[] y = new float[outs + 2];
                int[] arg = new int[outs + 2];
                k.maxPool2x2(x, 0, planes, h, w, y, arg, 2);
                assertArrayEquals(expected, java.util.Arrays.copyOfRange(y, 2, outs + 2), k.name() + " " + h + "x" + w);
                assertArrayEquals(expectedArg, java.util.Arrays.copyOfRange(arg, 2, outs + 2), k.name() + " argmax " + h + "x" + w);
            }
        }
    }

    /** The window loop of {@link Pooling}, run on windows that it would not send to the 2x2 kernel. */
    private static void general(float[] x, int planes, int h, int w, float[] y, int[] arg) {
        int o = 0;
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < h / 2; i++) {
                for (int j = 0; j < w / 2; j++, o++) {
                    float m = Float.NEGATIVE_INFINITY;
                    int best = p * h * w + 2 * i * w + 2 * j;
                    for (int r = 2 * i; r < 2 * i + 2; r++) {
                        for (int c = 2 * j; c < 2 * j + 2; c++) {
                            float v = x[p * h * w + r * w + c];
                            if (v > m || Float.isNaN(v)) {
                                m = v;
                                best = p * h * w + r * w + c;
                            }
                        }
                    }
                    y[o] = m;
                    arg[o] = best;
                }
            }
        }
    }
}
