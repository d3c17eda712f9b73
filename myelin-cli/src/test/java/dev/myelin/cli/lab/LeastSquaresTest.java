package dev.myelin.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.ArrayDataset;
import dev.myelin.tensor.Rng;
import org.junit.jupiter.api.Test;

class LeastSquaresTest {

    @Test
    void hessianOfCentredIndependentFeaturesIsTwiceTheirVariances() {
        // x = (±1, ±3) balanced, mean 0, uncorrelated: S = diag(1, 9, 1) (the last is the intercept)
        float[] x = {1, 3, 1, -3, -1, 3, -1, -3};
        double[] y = {5, -1, 3, -3};
        LeastSquares ls = LeastSquares.of(new ArrayDataset(x, new int[] {2}, new float[4], 0), y);
        assertEquals(18, ls.hessian().value(0), 1e-12);
        assertEquals(2, ls.hessian().value(1), 1e-12);
        assertEquals(2, ls.hessian().value(2), 1e-12);
        assertEquals(9, ls.conditionNumber(), 1e-12);
        assertEquals(2.0 / 20, ls.bestStep(), 1e-15);
    }

    @Test
    void gradientDescentReachesTheToleranceWithinTheWorstCaseBound() {
        Rng rng = new Rng(1);
        for (double rho : new double[] {0, 0.9}) {
            ArrayDataset x = ConditioningLab.features(300, rho, rng.split("x" + rho));
            double[] y = new double[300];
            float[] row = new float[3];
            for (int i = 0; i < y.length; i++) {
                x.features(i, row, 0);
                y[i] = row[0] - 0.1 * row[1] + 0.01 * row[2] + rng.nextGaussian();
            }
            LeastSquares ls = LeastSquares.of(x, y);
            LeastSquares.Trace t = ls.descend(ls.bestStep(), 1e-6, 10_000_000);
            assertTrue(t.iterations() > 0 && t.iterations() <= ls.boundIterations(1e-6),
                    t.iterations() + " iterations, bound " + ls.boundIterations(1e-6) + ", rho " + rho);
            double[] last = t.curve().get(t.curve().size() - 1);
            assertEquals(t.iterations(), (long) last[0]);
            assertTrue(last[1] <= 1e-6 && last[1] >= 0, "relative gap " + last[1]);
            // a step above 2/λmax diverges: the run reports it instead of looping to the cap
            LeastSquares.Trace bad = ls.descend(2.5 / ls.hessian().value(0), 1e-6, 1_000_000);
            assertEquals(-1, bad.iterations());
        }
    }
}
