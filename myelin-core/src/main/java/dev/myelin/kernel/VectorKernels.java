package dev.myelin.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast kernels, on the JDK's Vector API ({@code jdk.incubator.vector}) with the CPU's
 * preferred species: {@link VectorGemm}'s packed, register-blocked matrix multiply and
 * vectorized loops with scalar tails for the element-wise and reduction kernels. They compute
 * what {@link ScalarKernels} computes: the element-wise kernels bit for bit (no fused
 * multiply-add where the reference rounds twice), {@code exp} within an ulp or two, and the
 * reductions within float rounding of a different summation order.
 *
 * <p>Element-wise kernels are split across {@link Parallel}'s threads from {@value #PARALLEL_MIN}
 * elements on; below that, starting a second thread costs more than it saves. Reductions stay on
 * one thread so their summation order never depends on the thread count.
 *
 * <p>{@code -Dmyelin.vectorBits=256} forces a narrower species (to test the 256-bit code paths
 * on a 512-bit machine); without it the species is {@link FloatVector#SPECIES_PREFERRED}.
 */
public final class VectorKernels implements Kernels {
    /** The species every Vector API kernel of Myelin uses; constant so that C2 intrinsifies. */
    static final VectorSpecies<Float> SPECIES = chooseSpecies();
    private static final int VL = SPECIES.length();
    private static final int PARALLEL_MIN = 1 << 18;
    /** Adam does ~10 flops (a square root and two divisions) per element: threads pay from 32k on. */
    private static final int ADAM_PARALLEL_MIN = 1 << 15;

    private VectorKernels() {
    }

    /**
     * The vector kernels, or null when the species is narrower than 256 bits (where the scalar
     * kernels are as fast). Called by {@link KernelProvider} through reflection so that this
     * class is only loaded when the {@code jdk.incubator.vector} module is present.
     */
    public static Kernels createIfSupported() {
        return SPECIES.vectorBitSize() >= 256 ? new VectorKernels() : null;
    }

    private static VectorSpecies<Float> chooseSpecies() {
        String bits = System.getProperty("myelin.vectorBits");
        if (bits == null || bits.isBlank()) {
            return FloatVector.SPECIES_PREFERRED;
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(bits.trim())));
    }

    @Override
    public String name() {
        return "vector(" + SPECIES.vectorBitSize() + "-bit)";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        VectorGemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** Runs {@code body} on [0, n), split across threads when n is large. */
    private static void split(int n, Parallel.RangeBody body) {
        if (n < PARALLEL_MIN) {
            body.accept(0, n);
        } else {
            Parallel.forRange(n, PARALLEL_MIN / 2, body);
        }
    }

    /**
     * Whole vectors, the last one of a row overlapping the one before it so that nothing past
     * the row's width is read or written; a row narrower than a vector under a mask made once.
     * A masked load or store's bounds check ({@code checkIndexByLane}, with its
     * {@code firstTrue}) costs more than the copy of a vector's lanes: masking the last lanes of
     * every row was 13% of workload C's samples, and the overlap made its 28-wide rows' forward
     * pass 1.07x faster; for rows under one vector the mask still beats element-wise copies
     * (those made the 14- and 7-wide passes 0.84-0.92x). Rows of a few dozen floats, where
     * {@code System.arraycopy}'s call per row cost as much as the copy.
     */
    @Override
    public void copyRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride, int rows,
                         int width) {
        int last = width - VL;
        if (last < 0) {
            VectorMask<Float> row = SPECIES.indexInRange(0, width);
            for (int r = 0, s = srcOff, d = dstOff; r < rows; r++, s += srcStride, d += dstStride) {
                FloatVector.fromArray(SPECIES, src, s, row).intoArray(dst, d, row);
            }
            return;
        }
        for (int r = 0, s = srcOff, d = dstOff; r < rows; r++, s += srcStride, d += dstStride) {
            for (int i = 0; i < last; i += VL) {
                FloatVector.fromArray(SPECIES, src, s + i).intoArray(dst, d + i);
            }
            FloatVector.fromArray(SPECIES, src, s + last).intoArray(dst, d + last);
        }
    }

    @Override
    public int panelWidth() {
        return VectorGemm.NR;
    }

    @Override
    public float[] packPanelA(float[] a, int aOff, int lda, int m, int k) {
        return VectorGemm.packPanelA(a, aOff, lda, m, k);
    }

    @Override
    public void shiftedGemm(float[] packedA, int m, int n, int k, float[] x, int xBase, int[] offsets, float beta,
                            float[] c, int cOff, int ldc) {
        VectorGemm.shiftedGemm(packedA, m, n, k, x, xBase, offsets, beta, c, cOff, ldc);
    }

    @Override
    public void shiftedGemmNT(float[] a, int aOff, int lda, int m, int q, float[] x, int xBase, int[] offsets, int n,
                              float beta, float[] c, int cOff, int ldc) {
        ShiftedDots.gemmNT(a, aOff, lda, m, q, x, xBase, offsets, n, beta, c, cOff, ldc);
    }

    @Override
    public void add(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        split(n, (from, to) -> {
            int i = from;
            for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += VL) {
                FloatVector x = FloatVector.fromArray(SPECIES, a, aOff + i);
                x.add(FloatVector.fromArray(SPECIES, b, bOff + i)).intoArray(out, oOff + i);
            }
            for (; i < to; i++) {
                out[oOff + i] = a[aOff + i] + b[bOff + i];
            }
        });
    }

    @Override
    public void sub(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        split(n, (from, to) -> {
            int i = from;
            for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += VL) {
                FloatVector x = FloatVector.fromArray(SPECIES, a, aOff + i);
                x.sub(FloatVector.fromArray(SPECIES, b, bOff + i)).intoArray(out, oOff + i);
            }
            for (; i < to; i++) {
                out[oOff + i] = a[aOff + i] - b[bOff + i];
            }
        });
    }

    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        split(n, (from, to) -> {
            int i = from;
            for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += VL) {
                FloatVector x = FloatVector.fromArray(SPECIES, a, aOff + i);
                x.mul(FloatVector.fromArray(SPECIES, b, bOff + i)).intoArray(out, oOff + i);
            }
            for (; i < to; i++) {
                out[oOff + i] = a[aOff + i] * b[bOff + i];
            }
        });
    }

    @Override
    public void div(float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        split(n, (from, to) -> {
            int i = from;
            for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += VL) {
                FloatVector x = FloatVector.fromArray(SPECIES, a, aOff + i);
                x.div(FloatVector.fromArray(SPECIES, b, bOff + i)).intoArray(out, oOff + i);
            }
            for (; i < to; i++) {
                out[oOff + i] = a[aOff + i] / b[bOff + i];
            }
        });
    }

    @Override
    public void affine(float[] a, int aOff, float s, float t, float[] out, int oOff, int n) {
        split(n, (from, to) -> {
            int i = from;
            for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += VL) {
                // mul then add, not fma: the reference rounds twice, and this loop is memory-bound
                FloatVector.fromArray(SPECIES, a, aOff + i).mul(s).add(t).intoArray(out, oOff + i);
            }
            for (; i < to; i++) {
                out[oOff + i] = a[aOff + i] * s + t;
            }
        });
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        split(n, (from, to) -> {
            int i = from;
            for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += VL) {
                FloatVector xv = FloatVector.fromArray(SPECIES, x, xOff + i).mul(alpha);
                xv.add(FloatVector.fromArray(SPECIES, y, yOff + i)).intoArray(y, yOff + i);
            }
            for (; i < to; i++) {
                y[yOff + i] += alpha * x[xOff + i];
            }
        });
    }

    @Override
    public void relu(float[] a, int aOff, float[] out, int oOff, int n) {
        reluBackward(a, aOff, a, aOff, out, oOff, n);
    }

    @Override
    public void reluBackward(float[] x, int xOff, float[] g, int gOff, float[] out, int oOff, int n) {
        split(n, (from, to) -> {
            FloatVector zero = FloatVector.zero(SPECIES);
            int i = from;
            for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += VL) {
                // blend on x > 0 rather than max(x, 0): NaN and -0 give +0, as in the reference
                var positive = FloatVector.fromArray(SPECIES, x, xOff + i).compare(VectorOperators.GT, 0f);
                zero.blend(FloatVector.fromArray(SPECIES, g, gOff + i), positive).intoArray(out, oOff + i);
            }
            for (; i < to; i++) {
                out[oOff + i] = x[xOff + i] > 0f ? g[gOff + i] : 0f;
            }
        });
    }

    @Override
    public void leakyRelu(float[] a, int aOff, float slope, float[] out, int oOff, int n) {
        leakyReluBackward(a, aOff, a, aOff, slope, out, oOff, n);
    }

    @Override
    public void leakyReluBackward(float[] x, int xOff, float[] g, int gOff, float slope, float[] out, int oOff, int n) {
        split(n, (from, to) -> {
            int i = from;
            for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += VL) {
                FloatVector gv = FloatVector.fromArray(SPECIES, g, gOff + i);
                var positive = FloatVector.fromArray(SPECIES, x, xOff + i).compare(VectorOperators.GT, 0f);
                gv.mul(slope).blend(gv, positive).intoArray(out, oOff + i);
            }
            for (; i < to; i++) {
                float v = g[gOff + i];
                out[oOff + i] = x[xOff + i] > 0f ? v : slope * v;
            }
        });
    }

    /**
     * ELU with {@link VectorMath#expm1} (within a few ulp of {@code Math.expm1}; the same bits
     * before and after JIT compilation, which the JDK's {@code lanewise(EXPM1)} is not), the
     * tail with its scalar twin.
     */
    @Override
    public void elu(float[] a, int aOff, float alpha, float scale, float inputScale, float[] out, int oOff, int n) {
        float negCoef = scale * alpha;
        split(n, (from, to) -> {
            int i = from;
            for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += VL) {
                FloatVector v = FloatVector.fromArray(SPECIES, a, aOff + i);
                var positive = v.compare(VectorOperators.GT, 0f);
                // min(v, 0) keeps exp from overflowing in the lanes the blend discards
                FloatVector neg = VectorMath.expm1(v.min(0f).mul(inputScale)).mul(negCoef);
                neg.blend(v.mul(scale), positive).intoArray(out, oOff + i);
            }
            for (; i < to; i++) {
                float v = a[aOff + i];
                out[oOff + i] = v > 0f ? scale * v : negCoef * VectorMath.expm1(Math.min(v, 0f) * inputScale);
            }
        });
    }

    @Override
    public void eluBackward(float[] x, int xOff, float[] g, int gOff, float alpha, float scale, float inputScale,
                            float[] out, int oOff, int n) {
        float negCoef = scale * alpha * inputScale;
        split(n, (from, to) -> {
            int i = from;
            for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += VL) {
                FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i);
                var positive = v.compare(VectorOperators.GT, 0f);
                FloatVector slope = VectorMath.exp(v.min(0f).mul(inputScale)).mul(negCoef);
                slope.blend(scale, positive).mul(FloatVector.fromArray(SPECIES, g, gOff + i)).intoArray(out, oOff + i);
            }
            for (; i < to; i++) {
                float v = x[xOff + i];
                out[oOff + i] = g[gOff + i] * (v > 0f ? scale : negCoef * VectorMath.exp(Math.min(v, 0f) * inputScale));
            }
        });
    }

    /**
     * out[i] = exp(a[i]) with {@link VectorMath#exp}: basic IEEE operations only, so the result
     * is the same bits before and after JIT compilation (the JDK's {@code lanewise(EXP)} is
     * not), and the tail uses the scalar twin, so a value rounds the same wherever it sits.
     */
    @Override
    public void exp(float[] a, int aOff, float[] out, int oOff, int n) {
        split(n, (from, to) -> {
            int i = from;
            for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += VL) {
                VectorMath.exp(FloatVector.fromArray(SPECIES, a, aOff + i)).intoArray(out, oOff + i);
            }
            for (; i < to; i++) {
                out[oOff + i] = VectorMath.exp(a[aOff + i]);
            }
        });
    }

    @Override
    public float sum(float[] a, int aOff, int n) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        int i = 0;
        // two accumulators hide the add latency; the order is fixed, so results are reproducible
        for (int bound = SPECIES.loopBound(n / 2) * 2; i < bound; i += 2 * VL) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, a, aOff + i));
            s1 = s1.add(FloatVector.fromArray(SPECIES, a, aOff + i + VL));
        }
        float s = Lanes.sum(s0.add(s1));
        for (; i < n; i++) {
            s += a[aOff + i];
        }
        return s;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        int i = 0;
        for (int bound = SPECIES.loopBound(n / 2) * 2; i < bound; i += 2 * VL) {
            s0 = FloatVector.fromArray(SPECIES, a, aOff + i).fma(FloatVector.fromArray(SPECIES, b, bOff + i), s0);
            s1 = FloatVector.fromArray(SPECIES, a, aOff + i + VL)
                    .fma(FloatVector.fromArray(SPECIES, b, bOff + i + VL), s1);
        }
        float s = Lanes.sum(s0.add(s1));
        for (; i < n; i++) {
            s = Math.fma(a[aOff + i], b[bOff + i], s);
        }
        return s;
    }

    @Override
    public void normalizeAffine(float[] h, int hOff, float s, float g, float b, float[] out, int oOff, int n) {
        split(n, (from, to) -> {
            int i = from;
            for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += VL) {
                FloatVector v = FloatVector.fromArray(SPECIES, h, hOff + i).mul(s).add(0f); // as affine(h, s, 0)
                v.intoArray(h, hOff + i);
                v.mul(g).add(b).intoArray(out, oOff + i);
            }
            for (; i < to; i++) {
                float v = h[hOff + i] * s + 0f;
                h[hOff + i] = v;
                out[oOff + i] = v * g + b;
            }
        });
    }

    @Override
    public void sumAndDot(float[] a, int aOff, float[] b, int bOff, int n, float[] out) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector d0 = s0;
        FloatVector d1 = s0;
        int i = 0;
        for (int bound = SPECIES.loopBound(n / 2) * 2; i < bound; i += 2 * VL) { // sum's and dot's order
            FloatVector a0 = FloatVector.fromArray(SPECIES, a, aOff + i);
            FloatVector a1 = FloatVector.fromArray(SPECIES, a, aOff + i + VL);
            s0 = s0.add(a0);
            s1 = s1.add(a1);
            d0 = a0.fma(FloatVector.fromArray(SPECIES, b, bOff + i), d0);
            d1 = a1.fma(FloatVector.fromArray(SPECIES, b, bOff + i + VL), d1);
        }
        float s = Lanes.sum(s0.add(s1));
        float d = Lanes.sum(d0.add(d1));
        for (; i < n; i++) {
            s += a[aOff + i];
            d = Math.fma(a[aOff + i], b[bOff + i], d);
        }
        out[0] = s;
        out[1] = d;
    }

    @Override
    public void normGrad(float[] dy, int dyOff, float k, float shift, float along, float[] h, int hOff,
                         float[] dx, int dxOff, int n) {
        split(n, (from, to) -> {
            int i = from;
            for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += VL) {
                FloatVector v = FloatVector.fromArray(SPECIES, dy, dyOff + i).mul(k).add(shift);
                FloatVector.fromArray(SPECIES, h, hOff + i).mul(along).add(v).intoArray(dx, dxOff + i);
            }
            for (; i < to; i++) {
                float v = dy[dyOff + i] * k + shift;
                dx[dxOff + i] = v + along * h[hOff + i];
            }
        });
    }

    @Override
    public float max(float[] a, int aOff, int n) {
        if (n < VL) {
            float m = a[aOff];
            for (int i = 1; i < n; i++) {
                m = Math.max(m, a[aOff + i]);
            }
            return m;
        }
        // lanewise MAX is Math.max: NaN wins, as in the reference
        FloatVector m = FloatVector.fromArray(SPECIES, a, aOff);
        int i = VL;
        for (int bound = SPECIES.loopBound(n); i < bound; i += VL) {
            m = m.max(FloatVector.fromArray(SPECIES, a, aOff + i));
        }
        float r = m.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            r = Math.max(r, a[aOff + i]);
        }
        return r;
    }

    /**
     * The Adam step with vector lanes; the same operations in the same order as the scalar
     * reference, so the results are bit-identical (square root and division round correctly in
     * both). C2 already auto-vectorizes the scalar loop, so the gain is the split across threads
     * from {@value #ADAM_PARALLEL_MIN} elements on (workload A's parameters, 2 threads, loaded
     * 2-core VM: median 297 us per step against 520 us for the scalar loop; see AdamStepTiming).
     */
    @Override
    public void adam(float[] p, float[] g, float[] m, float[] v, float[] vMax, int n, AdamStep c) {
        Parallel.RangeBody body = (from, to) -> {
            int i = from;
            for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += VL) {
                adamLanes(p, g, m, v, vMax, i, c);
            }
            ScalarKernels.adamRange(p, g, m, v, vMax, i, to, c);
        };
        if (n < ADAM_PARALLEL_MIN) {
            body.accept(0, n);
        } else {
            Parallel.forRange(n, ADAM_PARALLEL_MIN / 2, body);
        }
    }

    private static void adamLanes(float[] p, float[] g, float[] m, float[] v, float[] vMax, int i, AdamStep c) {
        FloatVector pv = FloatVector.fromArray(SPECIES, p, i);
        FloatVector gv = FloatVector.fromArray(SPECIES, g, i);
        if (c.weightDecay() != 0f) {
            gv = gv.add(pv.mul(c.weightDecay()));
        }
        FloatVector mv = FloatVector.fromArray(SPECIES, m, i).mul(c.beta1()).add(gv.mul(c.oneMinusBeta1()));
        FloatVector vv = FloatVector.fromArray(SPECIES, v, i).mul(c.beta2()).add(gv.mul(c.oneMinusBeta2()).mul(gv));
        mv.intoArray(m, i);
        vv.intoArray(v, i);
        if (vMax != null) {
            vv = FloatVector.fromArray(SPECIES, vMax, i).max(vv);
            vv.intoArray(vMax, i);
        }
        FloatVector denom = vv.sqrt().div(c.bc2Sqrt()).add(c.eps());
        pv.sub(mv.div(denom).mul(c.stepSize())).intoArray(p, i);
    }

    @Override
    public void maxPool2x2(float[] x, int xOff, int planes, int h, int w, float[] y, int[] argmax, int yOff) {
        VectorPooling.maxPool2x2(x, xOff, planes, h, w, y, argmax, yOff);
    }
}
