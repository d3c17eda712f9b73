package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.io.Golden;
import dev.myelin.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Losses replay PyTorch with mean reduction (golden/losses.json): the loss and its gradient
 * w.r.t. the input, including L1's zero gradient at a tie, BCE-with-logits at large logits, and
 * the Gaussian NLL's variance clamped to eps with its gradient passed through.
 */
class LossGoldenTest {
    @ParameterizedTest
    @ValueSource(strings = {"mse", "l1", "bce_with_logits", "cross_entropy", "gaussian_nll", "gaussian_nll_full"})
    void lossAndGradientMatchPyTorch(String name) {
        Golden file = Golden.load("losses.json");
        Golden c = file.get(name);
        assertEquals("mean", c.get("reduction").asString());
        Loss loss = switch (name) {
            case "mse" -> Loss.mse();
            case "l1" -> Loss.l1();
            case "bce_with_logits" -> Loss.binaryCrossEntropyWithLogits();
            case "gaussian_nll" -> Loss.gaussianNll(Loss.GaussianNllOptions.defaults());
            case "gaussian_nll_full" -> Loss.gaussianNll(new Loss.GaussianNllOptions(1e-6, true));
            default -> Loss.crossEntropy();
        };
        Tensor x = c.get("input").tensor().requiresGrad(true);

        Tensor l = loss.apply(x, c.get("target").tensor());
        l.backward();

        assertEquals(0, l.dim(), name + ": a scalar");
        file.tolerance().assertClose(name + " loss", c.get("loss").tensor(), l);
        file.tolerance().assertClose(name + " grad_input", c.get("grad_input").tensor(), x.grad());
    }
}
