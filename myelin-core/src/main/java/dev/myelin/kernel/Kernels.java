package dev.myelin.kernel;

/**
 * The numeric primitives every tensor operation ends in: matrix multiply and flat loops over
 * {@code float[]} ranges. Two implementations exist: {@link ScalarKernels}, the readable
 * reference that serves as the specification, and {@link VectorKernels} on the JDK's Vector API.
 * {@link KernelProvider#get()} picks one once at start-up (Lucene's vectorization provider is
 * the model) and logs why when the fast one is declined.
 *
 * <p>All arrays are addressed as (array, offset) pairs; ranges never overlap unless the method
 * says so (an output may alias an input element for element).
 */
public interface Kernels {

    /** A short name for logs and benchmark reports, e.g. {@code "vector(512-bit)"}. */
    String name();

    /**
     * Single-precision general matrix multiply, row-major:
     * <pre>C = op(A) · op(B) + beta · C</pre>
     * where op(X) is X or Xᵀ. op(A) is m×k, op(B) is k×n, C is m×n. {@code lda}, {@code ldb},
     * {@code ldc} are the row strides of the matrices as stored (A stored m×k when not
     * transposed, k×m when transposed). With beta = 0, C's previous contents are ignored (NaN
     * included). Large products are split across {@link Parallel}'s threads.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /** out[i] = a[i] + b[i] for i in [0, n). */
    void add(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n);

    /** out[i] = a[i] - b[i]. */
    void sub(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n);

    /** out[i] = a[i] * b[i]. */
    void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n);

    /** out[i] = a[i] / b[i]. */
    void div(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n);

    /** out[i] = a[i] * s + t (scale and shift; covers neg, scalar add and scalar multiply). */
    void affine(float[] a, int aOff, float s, float t, float[] out, int oOff, int n);

    /** y[i] += alpha * x[i]. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** out[i] = max(a[i], 0). */
    void relu(float[] a, int aOff, float[] out, int oOff, int n);

    /** out[i] = x[i] > 0 ? g[i] : 0 (the gradient of ReLU). */
    void reluBackward(float[] x, int xOff, float[] g, int gOff, float[] out, int oOff, int n);

    /** out[i] = a[i] &gt; 0 ? a[i] : slope·a[i] (LeakyReLU). */
    void leakyRelu(float[] a, int aOff, float slope, float[] out, int oOff, int n);

    /** out[i] = x[i] &gt; 0 ? g[i] : slope·g[i] (the gradient of LeakyReLU; PyTorch's slope at 0). */
    void leakyReluBackward(float[] x, int xOff, float[] g, int gOff, float slope, float[] out, int oOff, int n);

    /**
     * out[i] = a[i] &gt; 0 ? scale·a[i] : scale·alpha·(exp(inputScale·a[i]) − 1), with expm1 (ELU,
     * SELU; PyTorch's elu with its scale and input_scale).
     */
    void elu(float[] a, int aOff, float alpha, float scale, float inputScale, float[] out, int oOff, int n);

    /** out[i] = g[i]·(x[i] &gt; 0 ? scale : scale·alpha·inputScale·exp(inputScale·x[i])) (the gradient of {@link #elu}). */
    void eluBackward(float[] x, int xOff, float[] g, int gOff, float alpha, float scale, float inputScale,
                     float[] out, int oOff, int n);

    /** out[i] = exp(a[i]). */
    void exp(float[] a, int aOff, float[] out, int oOff, int n);

    /** Σ a[i], accumulated in float lanes and reduced at the end. */
    float sum(float[] a, int aOff, int n);

    /** Σ a[i]·b[i]. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /**
     * Batch norm's last forward pass in one sweep (Ioffe &amp; Szegedy 2015): h[i] = h[i]·s + 0
     * (x̂ = (x − μ)·(σ² + ε)^−½ from h = x − μ) and out[i] = h[i]·g + b (y = γ·x̂ + β). The same
     * bits as {@link #affine} twice, which this default runs.
     */
    default void normalizeAffine(float[] h, int hOff, float s, float g, float b, float[] out, int oOff, int n) {
        affine(h, hOff, s, 0f, h, hOff, n);
        affine(h, hOff, g, b, out, oOff, n);
    }

    /** out[0] = Σ a[i] and out[1] = Σ a[i]·b[i] in one sweep: the same bits as {@link #sum} and {@link #dot}. */
    default void sumAndDot(float[] a, int aOff, float[] b, int bOff, int n, float[] out) {
        out[0] = sum(a, aOff, n);
        out[1] = dot(a, aOff, b, bOff, n);
    }

    /**
     * Batch norm's input gradient in one sweep: dx[i] = (dy[i]·k + shift) + along·h[i], with
     * k = γ/√(σ² + ε), shift = −k·mean(dy), along = −k·mean(dy·x̂) and h = x̂. The same bits as
     * {@link #affine} then {@link #axpy}, which this default runs.
     */
    default void normGrad(float[] dy, int dyOff, float k, float shift, float along, float[] h, int hOff,
                          float[] dx, int dxOff, int n) {
        affine(dy, dyOff, k, shift, dx, dxOff, n);
        axpy(along, h, hOff, dx, dxOff, n);
    }

    /**
     * {@code dst[dstOff + r·dstStride + i] = src[srcOff + r·srcStride + i]} for r &lt; rows and
     * i &lt; width: a block of rows copied between strides, nothing outside the rows' widths
     * written (the planes of {@link PaddedInput} in and out); source and destination rows must not
     * overlap. This default copies row by row.
     */
    default void copyRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride, int rows,
                          int width) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, srcOff + r * srcStride, dst, dstOff + r * dstStride, width);
        }
    }

    /**
     * How far past column n {@link #shiftedGemm} may read each slice: it reads columns
     * [0, ⌈n/w⌉·w) for this width w, so the caller leaves that much room in x.
     */
    int panelWidth();

    /** A [m, k] (row-major, row stride lda, from aOff) packed once for any number of {@link #shiftedGemm} calls. */
    float[] packPanelA(float[] a, int aOff, int lda, int m, int k);

    /**
     * C [m, n] (row stride ldc, from cOff) = A · B + beta · C on the calling thread, with A from
     * {@link #packPanelA} and B [k, n] given as shifted slices of one array,
     * <pre>B(p, j) = x[xBase + offsets[p] + j]</pre>
     * an implicit im2col: with the input copied into zero-bordered planes ({@link PaddedInput}),
     * each tap of a stride-1 convolution is one such slice, so B is never written out. Reads
     * {@link #panelWidth()}-wide blocks of each slice (see there). With beta = 0, C's previous
     * contents are ignored.
     */
    void shiftedGemm(float[] packedA, int m, int n, int k, float[] x, int xBase, int[] offsets, float beta,
                     float[] c, int cOff, int ldc);

    /**
     * C [m, n] (row stride ldc, from cOff) = A · Bᵀ + beta · C for A [m, q] (row stride lda, from
     * aOff) and B [n, q] given as shifted slices of one array,
     * <pre>B(j, t) = x[xBase + offsets[j] + t]</pre>
     * the weight gradient of the direct convolution, dW = dY · colᵀ with dY on the padded width
     * (zeros in its extra columns, {@link PaddedInput}). Reads q floats of each row and slice.
     * With beta = 0, C's previous contents are ignored.
     */
    void shiftedGemmNT(float[] a, int aOff, int lda, int m, int q, float[] x, int xBase, int[] offsets, int n,
                       float beta, float[] c, int cOff, int ldc);

    /** max a[i]; n must be at least 1. */
    float max(float[] a, int aOff, int n);

    /**
     * One Adam step (Kingma &amp; Ba 2015) over {@code n} elements, in place, in PyTorch's
     * operation order (torch.optim.Adam, 1.13):
     * <pre>
     * g ← g + λ·p                                  (only when λ ≠ 0; g itself is not modified)
     * m ← β₁·m + (1 − β₁)·g
     * v ← β₂·v + ((1 − β₂)·g)·g
     * v̂ ← max(v̂, v)                                (AMSGrad, only when vMax is not null)
     * p ← p − stepSize · (m / (√v̂ / bc2Sqrt + ε))  (v̂ = v without AMSGrad)
     * </pre>
     * Every operation rounds once (no fused multiply-add), so implementations agree bit for bit.
     */
    void adam(float[] p, float[] g, float[] m, float[] v, float[] vMax, int n, AdamStep c);

    /**
     * 2x2 max pooling with stride 2 and no padding (the pooling of most CNNs) of {@code planes}
     * planes [h, w] starting at {@code x[xOff]} into planes [⌊h/2⌋, ⌊w/2⌋] starting at
     * {@code y[yOff]}; {@code argmax[yOff + i]} receives the index into x of output i's maximum:
     * the first in row-major window order, or the last NaN (PyTorch's rule).
     */
    void maxPool2x2(float[] x, int xOff, int planes, int h, int w, float[] y, int[] argmax, int yOff);
}
