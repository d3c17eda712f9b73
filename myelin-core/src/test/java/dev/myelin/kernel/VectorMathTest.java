package dev.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

class VectorMathTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static float[] vectorExp(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += S.length()) {
            VectorMath.exp(FloatVector.fromArray(S, x, i)).intoArray(out, i);
        }
        return out;
    }

    @Test
    void expIsWithinTwoUlpOfTheTrueValueAndVectorEqualsScalarBitForBit() {
        SplittableRandom r = new SplittableRandom(1);
        int n = S.length() * 4096;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 175.7 - 87.33);
        }
        float[] v = vectorExp(x);
        for (int i = 0; i < n; i++) {
            float s = VectorMath.exp(x[i]);
            assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(v[i]), "lane and scalar differ at x=" + x[i]);
            double truth = Math.exp(x[i]);
            double ulp = Math.ulp((float) truth);
            assertTrue(Math.abs(s - truth) <= 2 * ulp, "exp(" + x[i] + ") = " + s + ", true " + truth);
        }
    }

    @Test
    void expEdgeCases() {
        float[] x = new float[S.length()];
        float[] in = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -100f, 89f, -87f};
        for (int i = 0; i < x.length; i++) {
            x[i] = in[i % in.length];
        }
        float[] v = vectorExp(x);
        for (int i = 0; i < x.length; i++) {
            float s = VectorMath.exp(x[i]);
            assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(v[i]), "x=" + x[i]);
        }
        assertEquals(1f, VectorMath.exp(0f));
        assertEquals(1f, VectorMath.exp(-0f));
        assertEquals((float) Math.E, VectorMath.exp(1f), Math.ulp((float) Math.E));
        assertTrue(Float.isNaN(VectorMath.exp(Float.NaN)));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(89f));
        assertEquals(0f, VectorMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, VectorMath.exp(-100f));
        assertEquals((float) Math.exp(-87f), VectorMath.exp(-87f), 2 * Math.ulp((float) Math.exp(-87f)));
    }
}
