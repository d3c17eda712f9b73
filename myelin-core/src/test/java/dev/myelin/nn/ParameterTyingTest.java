package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.myelin.optim.Sgd;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One module used at several places shares its parameters and accumulates their gradients. */
class ParameterTyingTest {
    private final Rng rng = new Rng(21);

    @Test
    void gradientOfATiedLayerIsTheSumOfItsPerUseGradients() {
        Linear tied = new Linear(3, 3, new Rng(1));
        Sequential net = new Sequential(tied, Activation.tanh(), tied);
        Tensor x = Tensor.uniform(rng, -1f, 1f, 4, 3);
        net.forward(x).square().sum().backward();
        float[] tiedGrad = tied.weight().grad().toArray();

        // the same network with two untied copies holding equal values
        Linear first = copyOf(tied);
        Linear second = copyOf(tied);
        new Sequential(first, Activation.tanh(), second).forward(x).square().sum().backward();
        float[] sum = first.weight().grad().add(second.weight().grad()).toArray();
        assertArrayEquals(sum, tiedGrad, 1e-5f);
        assertArrayEquals(first.bias().grad().add(second.bias().grad()).toArray(), tied.bias().grad().toArray(), 1e-5f);
    }

    @Test
    void aTiedLayerIsListedAndUpdatedOnce() {
        Linear tied = new Linear(2, 2, new Rng(2));
        Sequential net = new Sequential(tied, Activation.relu(), tied);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(net.namedParameters().keySet()));
        assertEquals(6, net.parameterCount());
        // the state dict keeps every key, like PyTorch's state_dict(); both keys hold the same tensor
        assertSame(net.stateDict().get("0.weight"), net.stateDict().get("2.weight"));

        float[] before = tied.weight().toArray();
        net.forward(Tensor.ones(1, 2)).sum().backward();
        float[] grad = tied.weight().grad().toArray();
        new Sgd(net.parameters(), Sgd.Options.of(0.1)).step();
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i] - 0.1f * grad[i], tied.weight().data()[i], 1e-6f, "one step, not two");
        }
    }

    private static Linear copyOf(Linear l) {
        Linear c = new Linear(l.inFeatures(), l.outFeatures(), new Rng(99));
        c.weight().copyFrom(l.weight());
        c.bias().copyFrom(l.bias());
        return c;
    }
}
