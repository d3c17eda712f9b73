package dev.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The activation kernels of {@link VectorKernels} (leaky ReLU, ELU and their gradients) against
 * {@link ScalarKernels} at odd sizes and offsets: leaky ReLU bit for bit, ELU within the few
 * ulp by which {@link VectorMath}'s exp/expm1 differ from {@code Math}'s; and expm1's vector and
 * scalar forms agree bit for bit (so a value rounds the same in a vector lane and in a tail).
 */
class ActivationKernelsTest {
    private static final int SPLIT_SIZE = (1 << 19) + 13;
    private static final int XO = 3;
    private static final int GO = 5;
    private static final int OO = 2;

    private final Kernels ref = new ScalarKernels();
    private final Kernels vec = VectorKernels.createIfSupported();

    @BeforeEach
    void requireVectorKernels() {
        assumeTrue(vec != null, "the vector kernels decline species under 256 bits");
    }

    private static float[] inputs(int n) {
        float[] x = VectorKernelsTest.random(11, n + XO, -6f, 4f);
        float[] specials = {0f, -0f, -1e-6f, 1e-6f, Float.NEGATIVE_INFINITY, -100f, 50f};
        for (int i = 0; i < specials.length && 5 * i + XO < x.length; i++) {
            x[5 * i + XO] = specials[i];
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 13, 100, 207, 1023, SPLIT_SIZE})
    void leakyReluMatchesTheReferenceExactly(int n) {
        float[] x = inputs(n);
        float[] g = VectorKernelsTest.random(12, n + GO, -1f, 1f);
        float[] want = new float[n + OO];
        float[] got = new float[n + OO];
        ref.leakyRelu(x, XO, 0.2f, want, OO, n);
        vec.leakyRelu(x, XO, 0.2f, got, OO, n);
        assertArrayEquals(want, got, "forward n=" + n);
        ref.leakyReluBackward(x, XO, g, GO, 0.2f, want, OO, n);
        vec.leakyReluBackward(x, XO, g, GO, 0.2f, got, OO, n);
        assertArrayEquals(want, got, "backward n=" + n);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 13, 100, 207, 1023, SPLIT_SIZE})
    void eluMatchesTheReferenceWithinFourUlps(int n) {
        float[] x = inputs(n);
        float[] g = VectorKernelsTest.random(13, n + GO, -1f, 1f);
        float[] want = new float[n + OO];
        float[] got = new float[n + OO];
        float alpha = 1.6732632f;
        float scale = 1.050701f;
        ref.elu(x, XO, alpha, scale, 1f, want, OO, n);
        vec.elu(x, XO, alpha, scale, 1f, got, OO, n);
        assertUlps(want, got, "forward n=" + n);
        ref.eluBackward(x, XO, g, GO, alpha, scale, 1f, want, OO, n);
        vec.eluBackward(x, XO, g, GO, alpha, scale, 1f, got, OO, n);
        assertUlps(want, got, "backward n=" + n);
    }

    @Test
    void expm1IsWithinThreeUlpAndItsVectorAndScalarFormsAgreeBitForBit() {
        var species = FloatVector.SPECIES_PREFERRED;
        float[] x = VectorKernelsTest.random(14, species.length() * 2048, -20f, 5f);
        float[] specials = {0f, -0f, 1e-30f, -1e-7f, 0.4999f, -0.5f, 0.5f, -88f, -100f, Float.NEGATIVE_INFINITY, Float.NaN};
        System.arraycopy(specials, 0, x, 0, specials.length);
        float[] v = new float[x.length];
        for (int i = 0; i < x.length; i += species.length()) {
            VectorMath.expm1(FloatVector.fromArray(species, x, i)).intoArray(v, i);
        }
        for (int i = 0; i < x.length; i++) {
            float s = VectorMath.expm1(x[i]);
            assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(v[i]), "lane and scalar differ at x=" + x[i]);
            if (!Float.isNaN(x[i])) {
                float truth = (float) Math.expm1(x[i]);
                assertEquals(truth, s, 3 * Math.ulp(truth), "expm1(" + x[i] + ")");
            }
        }
        assertEquals(-1e-7f, VectorMath.expm1(-1e-7f), Math.ulp(1e-7f), "no cancellation near 0");
        assertEquals(-1f, VectorMath.expm1(Float.NEGATIVE_INFINITY));
    }

    private static void assertUlps(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            if (want[i] != got[i]) {
                // VectorMath.exp flushes results under the smallest normal float to 0, Math.exp does not
                assertEquals(want[i], got[i], Math.max(4 * Math.ulp(want[i]), Float.MIN_NORMAL), what + " at " + i);
            }
        }
    }
}
