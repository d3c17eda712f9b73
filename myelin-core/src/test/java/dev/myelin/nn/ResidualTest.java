package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.GradCheck;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Residual: x + F(x), its gradient, its keys, and a branch that changes the shape. */
class ResidualTest {
    @Test
    void addsTheBranchToItsInputAndChecksItsGradient() {
        Linear f = new Linear(3, 3, new Rng(1));
        Residual r = new Residual(new Sequential(Activation.relu(), f));
        Tensor x = Tensor.of(new float[] {0.5f, -1, 2, 0.1f, 0.3f, -0.7f}, 2, 3);
        float[] expected = x.add(f.forward(x.relu())).toArray();
        assertArrayEquals(expected, r.forward(x).toArray());
        assertEquals(java.util.List.of("branch.1.weight", "branch.1.bias"), java.util.List.copyOf(r.stateDict().keySet()));
        GradCheck.DEFAULT.check("Residual", t -> r.forward(t[0]), x.requiresGrad(true));
    }

    @Test
    void refusesABranchThatChangesTheShape() {
        Residual r = new Residual(new Linear(3, 2, new Rng(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.forward(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2, 2]"), e.getMessage());
    }
}
