package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Module bookkeeping users rely on: PyTorch's state-dict keys, train/eval reaching every
 * descendant, strict loading, parameter counts, and weight sharing.
 */
class ModuleTest {
    /** Sequential(Linear(3, 5), BatchNorm1d(5), ReLU, Dropout, Linear(5, 2)). */
    private static Sequential mlp(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(3, 5, rng), new BatchNorm1d(5), Activation.relu(),
                new Dropout(0.5, rng.split("dropout")), new Linear(5, 2, rng));
    }

    @Test
    void stateDictKeysAreExactlyPyTorchs() {
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                        "1.num_batches_tracked", "4.weight", "4.bias"),
                List.copyOf(mlp(1).stateDict().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias"),
                List.copyOf(mlp(1).namedParameters().keySet()), "buffers are not parameters");
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Sequential inner = mlp(1);
        Sequential outer = new Sequential(inner, new Linear(2, 2, new Rng(2)));
        outer.eval();
        assertFalse(outer.isTraining());
        assertFalse(inner.layers().get(1).isTraining(), "nested BatchNorm1d");
        assertFalse(inner.layers().get(3).isTraining(), "nested Dropout");
        outer.train();
        for (Module m : inner.layers()) {
            assertTrue(m.isTraining(), m.toString());
        }
        outer.train(false);
        assertFalse(outer.children().get("1").isTraining());
    }

    @Test
    void loadStateDictCopiesValuesFromAnotherModel() {
        Sequential source = mlp(1);
        source.forward(Tensor.randn(new Rng(3), 8, 3)); // running statistics away from (0, 1)
        Sequential target = mlp(2);

        target.loadStateDict(source.stateDict(), true);

        source.stateDict().forEach((k, v) -> {
            Tensor t = target.stateDict().get(k);
            assertArrayEquals(v.data(), t.data(), k);
            assertNotSame(v.data(), t.data(), k + " is copied, not shared");
        });
    }

    @Test
    void strictLoadingRejectsMissingKeysNamingThem() {
        Map<String, Tensor> state = new LinkedHashMap<>(mlp(1).stateDict());
        state.remove("1.running_var");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mlp(2).loadStateDict(state, true));
        assertTrue(e.getMessage().contains("missing keys [1.running_var]"), e.getMessage());

        Sequential lenient = mlp(2);
        lenient.loadStateDict(state, false); // the other keys still load
        assertArrayEquals(state.get("4.weight").data(), lenient.stateDict().get("4.weight").data());
    }

    @Test
    void strictLoadingRejectsUnexpectedKeysNamingThem() {
        Map<String, Tensor> state = new LinkedHashMap<>(mlp(1).stateDict());
        state.put("5.weight", Tensor.zeros(2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mlp(2).loadStateDict(state, true));
        assertTrue(e.getMessage().contains("unexpected keys [5.weight]"), e.getMessage());
        mlp(2).loadStateDict(state, false);
    }

    @Test
    void loadingRejectsAShapeMismatchNamingTheKeyAndBothShapes() {
        Map<String, Tensor> state = new LinkedHashMap<>(mlp(1).stateDict());
        state.put("0.weight", Tensor.zeros(3, 5)); // transposed: same element count, wrong shape
        for (boolean strict : new boolean[] {true, false}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> mlp(2).loadStateDict(state, strict));
            String msg = e.getMessage();
            assertTrue(msg.contains("'0.weight'") && msg.contains("[5, 3]") && msg.contains("[3, 5]"), msg);
        }
    }

    @Test
    void parameterCountCountsTrainableScalarsOnly() {
        // Linear(3, 5): 15 + 5; BatchNorm1d(5): 5 + 5 (running statistics are buffers); Linear(5, 2): 10 + 2.
        assertEquals(42, mlp(1).parameterCount());
        assertEquals(6, mlp(1).parameters().size());
    }

    /**
     * A layer used twice is one set of parameters, and its gradient is the sum of the gradients
     * from both uses: equal to the gradients of two separate copies of the layer, added.
     */
    @Test
    void aModuleUsedTwiceSharesParametersAndAccumulatesBothGradients() {
        Rng rng = new Rng(5);
        Linear shared = new Linear(3, 3, rng);
        Sequential twice = new Sequential(shared, Activation.tanh(), shared);
        assertEquals(12, twice.parameterCount());
        assertEquals(2, twice.parameters().size());
        assertSame(shared.weight(), twice.parameters().get(0));

        Tensor x = Tensor.randn(rng, 4, 3);
        twice.forward(x).square().sum().backward();

        Linear first = copyOf(shared);
        Linear second = copyOf(shared);
        new Sequential(first, Activation.tanh(), second).forward(x).square().sum().backward();
        float[] expectedW = first.weight().grad().add(second.weight().grad()).data();
        float[] expectedB = first.bias().grad().add(second.bias().grad()).data();
        assertArrayEquals(expectedW, shared.weight().grad().data(), 1e-5f);
        assertArrayEquals(expectedB, shared.bias().grad().data(), 1e-5f);
        assertFalse(java.util.Arrays.equals(first.weight().grad().data(), shared.weight().grad().data()),
                "the shared gradient includes the second use");
    }

    private static Linear copyOf(Linear l) {
        Linear c = new Linear(l.inFeatures(), l.outFeatures(), new Rng(99));
        c.loadStateDict(l.stateDict(), true);
        return c;
    }
}
