package dev.myelin.kernel;

/**
 * The reference kernels: plain loops, written for clarity. They define what every faster
 * implementation must compute, and run wherever the Vector API is unavailable.
 */
public class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        Parallel.forRange(m, Math.max(1, 16384 / Math.max(1, n * Math.max(1, k) / 64)), (from, to) -> {
            float[] row = new float[n];
            for (int i = from; i < to; i++) {
                java.util.Arrays.fill(row, 0f);
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    if (av == 0f) {
                        continue;
                    }
                    if (transB) {
                        for (int j = 0; j < n; j++) {
                            row[j] += av * b[bOff + j * ldb + p];
                        }
                    } else {
                        int bo = bOff + p * ldb;
                        for (int j = 0; j < n; j++) {
                            row[j] += av * b[bo + j];
                        }
                    }
                }
                int co = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    c[co + j] = beta == 0f ? row[j] : row[j] + beta * c[co + j];
                }
            }
        });
    }

    /** The reference reads no column past n; 16 is the vector kernels' width on AVX2. */
    private static final int PANEL = 16;

    @Override
    public int panelWidth() {
        return PANEL;
    }

    /** The reference keeps A row-major: a compact [m, k] copy. */
    @Override
    public float[] packPanelA(float[] a, int aOff, int lda, int m, int k) {
        float[] packed = new float[m * k];
        for (int i = 0; i < m; i++) {
            System.arraycopy(a, aOff + i * lda, packed, i * k, k);
        }
        return packed;
    }

    @Override
    public void shiftedGemm(float[] packedA, int m, int n, int k, float[] x, int xBase, int[] offsets, float beta,
                            float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s += packedA[i * k + p] * x[xBase + offsets[p] + j];
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? s : s + beta * c[ci];
            }
        }
    }

    @Override
    public void shiftedGemmNT(float[] a, int aOff, int lda, int m, int q, float[] x, int xBase, int[] offsets, int n,
                              float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int t = 0; t < q; t++) {
                    s += a[aOff + i * lda + t] * x[xBase + offsets[j] + t];
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? s : s + beta * c[ci];
            }
        }
    }

    @Override
    public void add(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    @Override
    public void sub(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = a[aOff + i] - b[bOff + i];
        }
    }

    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public void div(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = a[aOff + i] / b[bOff + i];
        }
    }

    @Override
    public void affine(float[] a, int aOff, float s, float t, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = a[aOff + i] * s + t;
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void relu(float[] a, int aOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = a[aOff + i];
            out[oOff + i] = v > 0f ? v : 0f;
        }
    }

    @Override
    public void reluBackward(float[] x, int xOff, float[] g, int gOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = x[xOff + i] > 0f ? g[gOff + i] : 0f;
        }
    }

    @Override
    public void leakyRelu(float[] a, int aOff, float slope, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = a[aOff + i];
            out[oOff + i] = v > 0f ? v : slope * v;
        }
    }

    @Override
    public void leakyReluBackward(float[] x, int xOff, float[] g, int gOff, float slope, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = g[gOff + i];
            out[oOff + i] = x[xOff + i] > 0f ? v : slope * v;
        }
    }

    @Override
    public void elu(float[] a, int aOff, float alpha, float scale, float inputScale, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = a[aOff + i];
            out[oOff + i] = v > 0f ? scale * v : scale * alpha * (float) Math.expm1(inputScale * v);
        }
    }

    @Override
    public void eluBackward(float[] x, int xOff, float[] g, int gOff, float alpha, float scale, float inputScale,
                            float[] out, int oOff, int n) {
        float negCoef = scale * alpha * inputScale;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            out[oOff + i] = g[gOff + i] * (v > 0f ? scale : negCoef * (float) Math.exp(inputScale * v));
        }
    }

    @Override
    public void exp(float[] a, int aOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i++) {
            out[oOff + i] = (float) Math.exp(a[aOff + i]);
        }
    }

    @Override
    public float sum(float[] a, int aOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[aOff + i];
        }
        return (float) s;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) a[aOff + i] * b[bOff + i];
        }
        return (float) s;
    }

    @Override
    public float max(float[] a, int aOff, int n) {
        float m = a[aOff];
        for (int i = 1; i < n; i++) {
            float v = a[aOff + i];
            if (v > m || Float.isNaN(v)) {
                m = v;
            }
        }
        return m;
    }

    @Override
    public void adam(float[] p, float[] g, float[] m, float[] v, float[] vMax, int n, AdamStep c) {
        adamRange(p, g, m, v, vMax, 0, n, c);
    }

    /** The Adam step on elements [from, to); also the vector kernel's tail. */
    static void adamRange(float[] p, float[] g, float[] m, float[] v, float[] vMax, int from, int to, AdamStep c) {
        for (int i = from; i < to; i++) {
            float gi = c.weightDecay() == 0f ? g[i] : g[i] + c.weightDecay() * p[i];
            m[i] = c.beta1() * m[i] + c.oneMinusBeta1() * gi;
            v[i] = c.beta2() * v[i] + c.oneMinusBeta2() * gi * gi;
            float second = v[i];
            if (vMax != null) {
                vMax[i] = Math.max(vMax[i], v[i]);
                second = vMax[i];
            }
            float denom = (float) Math.sqrt(second) / c.bc2Sqrt() + c.eps();
            p[i] -= c.stepSize() * (m[i] / denom);
        }
    }

    @Override
    public void maxPool2x2(float[] x, int xOff, int planes, int h, int w, float[] y, int[] argmax, int yOff) {
        int oh = h / 2;
        int ow = w / 2;
        int o = yOff;
        for (int pl = 0; pl < planes; pl++) {
            for (int i = 0; i < oh; i++) {
                int r0 = xOff + pl * h * w + 2 * i * w;
                for (int j = 0; j < ow; j++, o++) {
                    int c = r0 + 2 * j;
                    int[] window = {c, c + 1, c + w, c + w + 1};
                    int best = c;
                    float m = Float.NEGATIVE_INFINITY;
                    for (int idx : window) {
                        if (x[idx] > m || Float.isNaN(x[idx])) {
                            m = x[idx];
                            best = idx;
                        }
                    }
                    y[o] = m;
                    argmax[o] = best;
                }
            }
        }
    }
}
