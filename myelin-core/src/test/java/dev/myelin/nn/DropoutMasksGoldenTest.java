package dev.myelin.nn;

import dev.myelin.io.Golden;
import dev.myelin.tensor.Tensor;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dropout family replays PyTorch (golden/dropout_masks.json, tools/golden/make_golden_reg.py):
 * with torch's keep-mask, the outputs (1/(1 − p) scaling; whole channels; alpha dropout's
 * affine map) and the input gradients match.
 */
class DropoutMasksGoldenTest {
    @ParameterizedTest
    @ValueSource(strings = {"dropout", "dropout2d", "dropout2d_3d", "alpha_dropout"})
    void outputAndGradientMatchPyTorchWithTheSameMask(String name) {
        Golden file = Golden.load("dropout_masks.json");
        Golden c = file.get(name);
        double p = c.get("p").asDouble();
        BiFunction<Tensor, Tensor, Tensor> apply = switch (name) {
            case "dropout" -> (x, m) -> Dropout.applyMask(x, m, p);
            case "alpha_dropout" -> (x, m) -> AlphaDropout.applyMask(x, m, p);
            default -> (x, m) -> Dropout2d.applyMask(x, m, p);
        };
        Tensor x = c.get("input").tensor().requiresGrad(true);

        Tensor y = apply.apply(x, c.get("mask").tensor());
        y.backward(c.get("upstream").tensor(), false);

        file.tolerance().assertClose(name + " output", c.get("output").tensor(), y);
        file.tolerance().assertClose(name + " grad_input", c.get("grad_input").tensor(), x.grad());
    }
}
