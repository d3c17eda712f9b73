package dev.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.io.Golden;
import org.junit.jupiter.api.Test;

/**
 * {@link Erf} against Python's math.erf/math.erfc (double, golden/erf.json): rounded to float it
 * is the float nearest the true value (within one float ulp), and in double it is within a few
 * 1e-11 relative, so GELU's Φ(x) is float-accurate in both tails.
 */
class ErfTest {
    private static final Golden FILE = Golden.load("erf.json");

    @Test
    void erfRoundsToTheNearestFloatOfTheTrueValue() {
        float[] x = FILE.get("input").tensor().data();
        Golden ref = FILE.get("erf_double");
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double want = ref.get(i).asDouble();
            double got = Erf.erf(x[i]);
            assertTrue(Math.abs(got - want) <= 1e-12 * Math.abs(want) + 1e-300,
                    "erf(" + x[i] + "): " + got + " vs " + want);
            float ulps = Math.abs((float) got - (float) want) / Math.ulp((float) want);
            worst = Math.max(worst, ulps);
        }
        assertTrue(worst <= 1, "float ulps " + worst);
    }

    @Test
    void erfAgreesWithTorchInFloat() {
        float[] x = FILE.get("input").tensor().data();
        float[] want = FILE.get("torch_float32").tensor().data();
        Golden.Tolerance tol = FILE.tolerance();
        for (int i = 0; i < x.length; i++) {
            float got = (float) Erf.erf(x[i]);
            assertTrue(Math.abs(got - want[i]) <= tol.atol() + tol.rtol() * Math.abs(want[i]),
                    "erf(" + x[i] + "): " + got + " vs torch " + want[i]);
        }
    }

    @Test
    void erfcKeepsItsRelativeAccuracyFarIntoTheTail() {
        Golden in = FILE.get("erfc_input");
        Golden ref = FILE.get("erfc_double");
        for (int i = 0; i < in.size(); i++) {
            double x = in.get(i).asDouble();
            double want = ref.get(i).asDouble();
            double got = Erf.erfc(x);
            assertTrue(Math.abs(got - want) <= 1e-10 * want, "erfc(" + x + "): " + got + " vs " + want);
            assertEquals(2 - want, Erf.erfc(-x), 1e-14, "erfc(" + -x + ")");
        }
    }

    @Test
    void specialValues() {
        assertEquals(0.0, Erf.erf(0.0));
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        assertTrue(Double.isNaN(Erf.erfc(Double.NaN)));
        assertEquals(0.0, Erf.erfc(40));
        assertEquals(0.5, Erf.normalCdf(0), 1e-16);
        // Φ(−10) = 7.6198530241605e-24: the lower tail keeps its relative accuracy
        assertEquals(7.6198530241605e-24, Erf.normalCdf(-10), 1e-33);
    }
}
