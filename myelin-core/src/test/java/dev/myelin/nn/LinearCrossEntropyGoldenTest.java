package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.io.Golden;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Linear followed by cross-entropy replays PyTorch's forward values and gradients
 * (golden/linear_cross_entropy.json): logits, mean loss, and the gradients of the loss with
 * respect to the input, the weight and the bias.
 */
class LinearCrossEntropyGoldenTest {
    @Test
    void forwardAndGradientsMatchPyTorch() {
        Golden g = Golden.load("linear_cross_entropy.json");
        Golden.Tolerance tol = g.tolerance();
        Tensor w = g.get("weight").tensor();
        Linear linear = new Linear(w.size(1), w.size(0), new Rng(0));
        linear.loadStateDict(Map.of("weight", w, "bias", g.get("bias").tensor()), true);
        Tensor x = g.get("x").tensor().requiresGrad(true);

        Tensor logits = linear.forward(x);
        Tensor loss = Loss.crossEntropy().apply(logits, g.get("target").tensor());
        loss.backward();

        tol.assertClose("logits", g.get("logits").tensor(), logits);
        assertEquals(0, loss.dim(), "the mean loss is a scalar");
        tol.assertClose("loss", g.get("loss").tensor(), loss);
        tol.assertClose("grad_x", g.get("grad_x").tensor(), x.grad());
        tol.assertClose("grad_weight", g.get("grad_weight").tensor(), linear.weight().grad());
        tol.assertClose("grad_bias", g.get("grad_bias").tensor(), linear.bias().grad());
    }
}
