package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.io.Golden;
import dev.myelin.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Label-smoothed cross-entropy replays PyTorch's {@code cross_entropy(label_smoothing=ε)} (golden/label_smoothing.json). */
class LabelSmoothingGoldenTest {
    @Test
    void lossAndGradientMatchPyTorch() {
        Golden file = Golden.load("label_smoothing.json");
        Golden cases = file.get("cases");
        for (int i = 0; i < cases.size(); i++) {
            Golden c = cases.get(i);
            double eps = c.get("label_smoothing").asDouble();
            Tensor x = c.get("input").tensor().requiresGrad(true);

            Tensor l = Loss.crossEntropy(eps).apply(x, c.get("target").tensor());
            l.backward();

            file.tolerance().assertClose("loss, ε = " + eps, c.get("loss").tensor(), l);
            file.tolerance().assertClose("grad_input, ε = " + eps, c.get("grad_input").tensor(), x.grad());
        }
    }

    @Test
    void smoothingOutsideZeroOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(1.5));
        assertTrue(e.getMessage().contains("label_smoothing") && e.getMessage().contains("1.5"), e.getMessage());
    }
}
