package dev.myelin.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Transcendental functions from basic IEEE operations only (add, multiply, fused multiply-add,
 * conversions), with one scalar twin per vector form that performs the same operations lane by
 * lane, so both round identically.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: the JDK computes it with Intel's SVML stubs
 * once the loop is JIT-compiled but with a per-lane {@code Math.exp} fallback before that, and
 * the two differ in the last bit. When compilation happens depends on machine load, so a run
 * with the same seed and thread count could round differently from epoch to epoch (observed:
 * two same-seed runs parting at epoch 4). The operations used here give the same bits in the
 * interpreter and in compiled code.
 *
 * <p>expm1: see {@link #expm1(FloatVector)}.
 *
 * <p>exp: Cody-Waite range reduction {@code x = n ln2 + r}, {@code |r| <= ln2/2}, and the Cephes
 * {@code expf} minimax polynomial (S. L. Moshier, Cephes Math Library, 1984-2000): within 2 ulp of
 * the true value on [-87.33, 88.37]. Below -87.33 (results under the smallest normal float,
 * 1.2e-38) the result is 0; above 88.376 = 127.5 ln 2 it is +Infinity (the true values there
 * lie between 2.4e38 and the float maximum 3.4e38); NaN stays NaN.
 */
public final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;
    private static final float HI = 88.37626f;
    private static final float LO = -87.33654f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude < 2^22 to the nearest integer. */
    private static final float ROUND = 12582912f;

    /** 1/k! for k = 2..8: the Taylor coefficients of expm1 beyond x. */
    private static final float E2 = 1f / 2;
    private static final float E3 = 1f / 6;
    private static final float E4 = 1f / 24;
    private static final float E5 = 1f / 120;
    private static final float E6 = 1f / 720;
    private static final float E7 = 1f / 5040;
    private static final float E8 = 1f / 40320;
    /** Below it expm1 is its Taylor polynomial (the next term, x⁹/9!, is under 2e-8 relative); above, exp − 1. */
    private static final float EXPM1_SMALL = 0.5f;

    private VectorMath() {
    }

    /**
     * e^x − 1 lane by lane (for ELU/SELU), without exp(x) − 1's cancellation near 0: where
     * |x| &lt; 0.5 the Taylor polynomial x + x²/2! + ... + x⁸/8! (Horner, fused multiply-adds),
     * elsewhere {@link #exp(FloatVector)} − 1 (|e^x − 1| ≥ 0.39 there, so the subtraction loses
     * under an ulp). Within 3 ulp of the true value; −1 below −87.3.
     */
    public static FloatVector expm1(FloatVector x) {
        FloatVector p = x.fma(E8, E7);
        p = p.fma(x, FloatVector.broadcast(x.species(), E6));
        p = p.fma(x, FloatVector.broadcast(x.species(), E5));
        p = p.fma(x, FloatVector.broadcast(x.species(), E4));
        p = p.fma(x, FloatVector.broadcast(x.species(), E3));
        p = p.fma(x, FloatVector.broadcast(x.species(), E2));
        FloatVector small = p.mul(x.mul(x)).add(x);
        return exp(x).sub(1f).blend(small, x.abs().compare(VectorOperators.LT, EXPM1_SMALL));
    }

    /** e^x − 1 with the same operations as {@link #expm1(FloatVector)}, so the same bits. */
    public static float expm1(float x) {
        if (!(Math.abs(x) < EXPM1_SMALL)) {
            return exp(x) - 1f;
        }
        float p = Math.fma(x, E8, E7);
        p = Math.fma(p, x, E6);
        p = Math.fma(p, x, E5);
        p = Math.fma(p, x, E4);
        p = Math.fma(p, x, E3);
        p = Math.fma(p, x, E2);
        return p * (x * x) + x;
    }

    /** e^x lane by lane. */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(LO).min(HI);
        FloatVector n = xc.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = n.mul(-LN2_HI).add(xc);
        r = n.mul(-LN2_LO).add(r);
        FloatVector z = r.mul(r);
        FloatVector p = r.fma(P0, P1);
        p = p.fma(r, FloatVector.broadcast(r.species(), P2));
        p = p.fma(r, FloatVector.broadcast(r.species(), P3));
        p = p.fma(r, FloatVector.broadcast(r.species(), P4));
        p = p.fma(r, FloatVector.broadcast(r.species(), P5));
        FloatVector y = p.mul(z).add(r).add(1f);
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        FloatVector scale = (FloatVector) bits.reinterpretAsFloats();
        FloatVector result = y.mul(scale);
        VectorMask<Float> over = x.compare(VectorOperators.GT, HI);
        VectorMask<Float> under = x.compare(VectorOperators.LT, LO);
        VectorMask<Float> nan = x.compare(VectorOperators.NE, x);
        return result.blend(Float.POSITIVE_INFINITY, over).blend(0f, under).blend(x, nan);
    }

    /** e^x with the same operations as {@link #exp(FloatVector)}, so the same bits. */
    public static float exp(float x) {
        if (x != x) {
            return x;
        }
        if (x > HI) {
            return Float.POSITIVE_INFINITY;
        }
        if (x < LO) {
            return 0f;
        }
        float n = x * LOG2E + ROUND - ROUND;
        float r = n * -LN2_HI + x;
        r = n * -LN2_LO + r;
        float z = r * r;
        float p = Math.fma(r, P0, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float y = p * z + r + 1f;
        return y * Float.intBitsToFloat(((int) n + 127) << 23);
    }
}
