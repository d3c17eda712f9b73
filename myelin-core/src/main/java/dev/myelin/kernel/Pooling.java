package dev.myelin.kernel;

import java.util.Arrays;

/**
 * Max and average pooling over the planes of an NCHW tensor (each of the N·C planes is pooled
 * on its own, so the planes are split across {@link Parallel}'s threads), with the windows of
 * {@link PoolWindows}:
 * <pre>
 * max:      y[i, j] = max over the window of x,  argmax[i, j] = where (the first maximum, or the last NaN: PyTorch's rule)
 *           dx[argmax[i, j]] += dy[i, j]
 * average:  y[i, j] = Σ_window x / (divisorRow[i] · divisorCol[j])
 *           dx[window] += dy[i, j] / (divisorRow[i] · divisorCol[j])
 * </pre>
 * Both gradients are linear in dy; the average pooling's gradient is its adjoint.
 */
public final class Pooling {
    /** About this many input elements per thread before splitting pays. */
    private static final int GRAIN = 1 << 15;

    private Pooling() {
    }

    private static void overPlanes(int planes, int inPlane, Parallel.RangeBody body) {
        Parallel.forRange(planes, Math.max(1, GRAIN / Math.max(1, inPlane)), body);
    }

    /**
     * Max pooling of {@code planes} planes of rows.size() x cols.size(); {@code argmax} receives
     * the flat index into x of each output's maximum. 2x2 windows with stride 2 and no padding
     * go to {@link Kernels#maxPool2x2}.
     */
    public static void maxForward(Kernels k, float[] x, int planes, PoolWindows rows, PoolWindows cols, float[] y,
                                  int[] argmax) {
        int w = cols.size();
        int inPlane = rows.size() * w;
        int outH = rows.count();
        int outW = cols.count();
        if (rows.isPlain(2) && cols.isPlain(2)) {
            overPlanes(planes, inPlane, (from, to) ->
                    k.maxPool2x2(x, from * inPlane, to - from, rows.size(), w, y, argmax, from * outH * outW));
            return;
        }
        overPlanes(planes, inPlane, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int base = pl * inPlane;
                int o = pl * outH * outW;
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++, o++) {
                        int best = base + rows.start()[i] * w + cols.start()[j];
                        float m = Float.NEGATIVE_INFINITY;
                        for (int r = rows.start()[i]; r < rows.end()[i]; r++) {
                            for (int c = base + r * w + cols.start()[j], e = base + r * w + cols.end()[j]; c < e; c++) {
                                float v = x[c];
                                if (v > m || Float.isNaN(v)) {
                                    m = v;
                                    best = c;
                                }
                            }
                        }
                        y[o] = m;
                        argmax[o] = best;
                    }
                }
            }
        });
    }

    /**
     * dx = 0, then dx[argmax[o]] += dy[o] for every output o of the {@code planes} planes of
     * {@code outPlane} outputs each ({@code inPlane} inputs each).
     */
    public static void maxBackward(float[] dy, int[] argmax, int planes, int outPlane, int inPlane, float[] dx) {
        overPlanes(planes, inPlane, (from, to) -> {
            Arrays.fill(dx, from * inPlane, to * inPlane, 0f);
            for (int o = from * outPlane, e = to * outPlane; o < e; o++) {
                dx[argmax[o]] += dy[o];
            }
        });
    }

    /** Average pooling: y = the mean of each window, dividing by its divisor. */
    public static void avgForward(float[] x, int planes, PoolWindows rows, PoolWindows cols, float[] y) {
        int w = cols.size();
        int inPlane = rows.size() * w;
        int outH = rows.count();
        int outW = cols.count();
        overPlanes(planes, inPlane, (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int base = pl * inPlane;
                int o = pl * outH * outW;
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++, o++) {
                        float s = 0f;
                        for (int r = rows.start()[i]; r < rows.end()[i]; r++) {
                            for (int c = base + r * w + cols.start()[j], e = base + r * w + cols.end()[j]; c < e; c++) {
                                s += x[c];
                            }
                        }
                        y[o] = s / ((float) rows.divisor()[i] * cols.divisor()[j]);
                    }
                }
            }
        });
    }

    /**
     * The adjoint of {@link #avgForward}: dx = 0, then each window gets dy / divisor. The window
     * loops are written out again rather than shared through a callback, which would cost a call
     * per input element.
     */
    public static void avgBackward(float[] dy, int planes, PoolWindows rows, PoolWindows cols, float[] dx) {
        int w = cols.size();
        int inPlane = rows.size() * w;
        int outH = rows.count();
        int outW = cols.count();
        overPlanes(planes, inPlane, (from, to) -> {
            Arrays.fill(dx, from * inPlane, to * inPlane, 0f);
            for (int pl = from; pl < to; pl++) {
                int base = pl * inPlane;
                int o = pl * outH * outW;
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++, o++) {
                        float v = dy[o] / ((float) rows.divisor()[i] * cols.divisor()[j]);
                        for (int r = rows.start()[i]; r < rows.end()[i]; r++) {
                            for (int c = base + r * w + cols.start()[j], e = base + r * w + cols.end()[j]; c < e; c++) {
                                dx[c] += v;
                            }
                        }
                    }
                }
            }
        });
    }
}
