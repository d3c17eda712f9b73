package dev.myelin.kernel;

import java.util.Arrays;

/**
 * Unfolds the receptive fields of one sample and group into a matrix, and folds it back
 * (Chellapilla, Puri and Simard, "High Performance Convolutional Neural Networks for Document
 * Processing", 2006):
 * <pre>
 * col[(c·kH + i)·kW + j, oh·outW + ow] = x[c, oh·sH − pH + i·dH, ow·sW − pW + j·dW]   (0 outside the image)
 * col2im: dx[c, ih, iw] += Σ over the (row, position) pairs that read x[c, ih, iw] of dcol[row, position]
 * </pre>
 * col2im is the adjoint of im2col, so the input gradient of a convolution is
 * {@code col2im(Wᵀ · dY)}. For each kernel column j the output columns whose input column
 * falls inside the image form one range [lo, hi), computed once; rows outside the image and
 * columns outside the range are zeros. With stride 1 a row of col is a contiguous slice of x.
 */
final class Im2col {
    private Im2col() {
    }

    /** The valid output-column range [lo, hi) for each kernel column j: {@code 0 <= ow·sW − pW + j·dW < inW}. */
    static int[][] columnRanges(ConvGeometry g) {
        int[][] r = new int[g.kernelW()][];
        int outW = g.outW();
        for (int j = 0; j < g.kernelW(); j++) {
            int iw0 = j * g.dilationW() - g.padW();
            int lo = iw0 >= 0 ? 0 : ceilDiv(-iw0, g.strideW());
            int hi = iw0 > g.inW() - 1 ? 0 : (g.inW() - 1 - iw0) / g.strideW() + 1;
            lo = Math.min(lo, outW);
            hi = Math.max(lo, Math.min(hi, outW));
            r[j] = new int[] {lo, hi};
        }
        return r;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /**
     * Writes col [K, P] for the channels starting at {@code xOff} (one sample's group of
     * {@code g.groupIn()} channels) into {@code col} from index 0.
     */
    static void im2col(ConvGeometry g, int[][] ranges, float[] x, int xOff, float[] col) {
        if (g.isSameWidth()) {
            sameWidth(g, ranges, x, xOff, col);
        } else {
            general(g, ranges, x, xOff, col);
        }
    }

    /**
     * {@link #im2col} for a stride-1 convolution whose output is as wide as its input: row
     * (c, i, j) of col is the plane's slice starting (i·dH − pH)·W + j·dW − pW further on, so the
     * rows inside the image are one copy, after which the few columns outside it are zeroed
     * (a 3x3 kernel with padding 1 zeroes one column per row, where the row-by-row copy made 28
     * calls of 28 floats for a 28x28 plane).
     */
    static void sameWidth(ConvGeometry g, int[][] ranges, float[] x, int xOff, float[] col) {
        int w = g.inW();
        int outH = g.outH();
        int p = outH * w;
        int row = 0;
        for (int c = 0; c < g.groupIn(); c++) {
            int plane = xOff + c * g.inPlane();
            for (int i = 0; i < g.kernelH(); i++) {
                int top = i * g.dilationH() - g.padH(); // ih = oh + top
                int ohLo = Math.max(0, -top);
                int ohHi = Math.min(outH, g.inH() - top);
                for (int j = 0; j < g.kernelW(); j++, row++) {
                    int dst = row * p;
                    int lo = ranges[j][0];
                    int hi = ranges[j][1];
                    if (ohLo >= ohHi || lo >= hi) {
                        Arrays.fill(col, dst, dst + p, 0f);
                        continue;
                    }
                    int from = ohLo * w + lo;
                    int to = (ohHi - 1) * w + hi;
                    Arrays.fill(col, dst, dst + from, 0f);
                    System.arraycopy(x, plane + from + top * w + j * g.dilationW() - g.padW(), col, dst + from, to - from);
                    Arrays.fill(col, dst + to, dst + p, 0f);
                    if (lo > 0 || hi < w) {
                        for (int oh = ohLo; oh < ohHi; oh++) { // the wrapped-around columns outside the image
                            zero(col, dst + oh * w, dst + oh * w + lo);
                            zero(col, dst + oh * w + hi, dst + (oh + 1) * w);
                        }
                    }
                }
            }
        }
    }

    /** {@link #im2col} for any geometry: each output row's valid columns copied, the rest zeroed. */
    static void general(ConvGeometry g, int[][] ranges, float[] x, int xOff, float[] col) {
        int outH = g.outH();
        int outW = g.outW();
        int p = outH * outW;
        int row = 0;
        for (int c = 0; c < g.groupIn(); c++) {
            int plane = xOff + c * g.inPlane();
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++, row++) {
                    int lo = ranges[j][0];
                    int hi = ranges[j][1];
                    int iw0 = j * g.dilationW() - g.padW();
                    for (int oh = 0; oh < outH; oh++) {
                        int dst = row * p + oh * outW;
                        int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
                        if (ih < 0 || ih >= g.inH()) {
                            Arrays.fill(col, dst, dst + outW, 0f);
                            continue;
                        }
                        zero(col, dst, dst + lo);
                        copyRow(x, plane + ih * g.inW() + iw0, g.strideW(), col, dst, lo, hi);
                        zero(col, dst + hi, dst + outW);
                    }
                }
            }
        }
    }

    /** A loop rather than Arrays.fill: the ranges are a padding column or two, where the call costs more than the stores. */
    private static void zero(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = 0f;
        }
    }

    /** col[dst + ow] = x[src + ow·stride] for ow in [lo, hi). */
    private static void copyRow(float[] x, int src, int stride, float[] col, int dst, int lo, int hi) {
        if (stride == 1) {
            System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
            return;
        }
        for (int ow = lo, s = src + lo * stride; ow < hi; ow++, s += stride) {
            col[dst + ow] = x[s];
        }
    }

    /**
     * Adds col [K, P] (from index 0) back into the image: the adjoint of {@link #im2col}.
     * {@code dx} must hold the values to add to (zeros for a fresh gradient). It walks the rows
     * im2col walks; the two loop nests are kept apart so each inner loop stays a plain copy or
     * add that the JIT compiles without a call per row.
     */
    static void col2im(ConvGeometry g, int[][] ranges, float[] col, float[] dx, int dxOff) {
        int outH = g.outH();
        int outW = g.outW();
        int p = outH * outW;
        int row = 0;
        for (int c = 0; c < g.groupIn(); c++) {
            int plane = dxOff + c * g.inPlane();
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++, row++) {
                    int lo = ranges[j][0];
                    int hi = ranges[j][1];
                    int iw0 = j * g.dilationW() - g.padW();
                    for (int oh = 0; oh < outH; oh++) {
                        int ih = oh * g.strideH() - g.padH() + i * g.dilationH();
                        if (ih < 0 || ih >= g.inH() || lo == hi) {
                            continue;
                        }
                        int src = row * p + oh * outW;
                        int dst = plane + ih * g.inW() + iw0;
                        addRow(col, src, dx, dst, g.strideW(), lo, hi);
                    }
                }
            }
        }
    }

    /**
     * dx[dst + ow·stride] += col[src + ow] for ow in [lo, hi). A plain loop (C2 vectorizes the
     * unit-stride case): rows are a few dozen floats, too short for a kernel call to pay.
     */
    private static void addRow(float[] col, int src, float[] dx, int dst, int stride, int lo, int hi) {
        if (stride == 1) {
            for (int ow = lo; ow < hi; ow++) {
                dx[dst + ow] += col[src + ow];
            }
            return;
        }
        for (int ow = lo, d = dst + lo * stride; ow < hi; ow++, d += stride) {
            dx[d] += col[src + ow];
        }
    }
}
