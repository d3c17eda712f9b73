package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.io.Golden;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WeightNorm(Linear) replays torch.nn.utils.weight_norm (golden/weight_norm.json, dims 0 and
 * 1): the state-dict keys and g's shape, the computed weight, the output, and the gradients of
 * the input, the bias, g and v.
 */
class WeightNormGoldenTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void matchesTorchWeightNorm(int index) {
        Golden file = Golden.load("weight_norm.json");
        Golden c = file.get("cases").get(index);
        Golden.Tolerance tol = file.tolerance();
        String name = c.get("name").asString();
        Tensor x = c.get("input").tensor().requiresGrad(true);
        Linear lin = new Linear(x.size(1), c.get("output").tensor().size(1), new Rng(0));
        WeightNorm wn = new WeightNorm(lin, "weight", (int) c.get("dim").asLong());

        Golden keys = c.get("state_keys");
        assertEquals(IntStream.range(0, keys.size()).mapToObj(i -> keys.get(i).asString()).toList(),
                new ArrayList<>(wn.stateDict().keySet()), name + ": state-dict keys");
        wn.namedParameters().forEach((k, p) -> p.copyFrom(c.get("params").get(k).tensor()));
        assertEquals(java.util.Arrays.toString(c.get("params").get("weight_g").tensor().shape()),
                java.util.Arrays.toString(wn.g().shape()), name + ": shape of g");

        tol.assertClose(name + " weight", c.get("weight").tensor(), lin.weight());
        Tensor y = wn.forward(x);
        tol.assertClose(name + " output", c.get("output").tensor(), y);
        y.backward(c.get("upstream").tensor(), false);
        tol.assertClose(name + " grad_input", c.get("grad_input").tensor(), x.grad());
        wn.namedParameters().forEach((k, p) ->
                tol.assertClose(name + " grad " + k, c.get("grad").get(k).tensor(), p.grad()));
    }
}
