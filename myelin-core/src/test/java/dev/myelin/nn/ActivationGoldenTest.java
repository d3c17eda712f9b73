package dev.myelin.nn;

import dev.myelin.io.Golden;
import dev.myelin.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Activations replay PyTorch (golden/activations.json): outputs and gradients of
 * sum(y * upstream), including relu's zero gradient at 0, softplus around its threshold, and
 * softmax / log-softmax of x / T for temperatures 1 and 2.
 */
class ActivationGoldenTest {
    private static final Golden FILE = Golden.load("activations.json");

    @ParameterizedTest
    @ValueSource(strings = {"relu", "sigmoid", "tanh", "softplus"})
    void elementwiseMatchesPyTorch(String name) {
        Golden e = FILE.get("elementwise");
        Activation act = switch (name) {
            case "relu" -> Activation.relu();
            case "sigmoid" -> Activation.sigmoid();
            case "tanh" -> Activation.tanh();
            default -> Activation.softplus(e.get("softplus").get("beta").asDouble(),
                    e.get("softplus").get("threshold").asDouble());
        };
        replay(name, act, e.get("input"), e.get("upstream"), e.get(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"softplus_threshold"})
    void softplusSwitchesToTheIdentityAboveTheThresholdAsPyTorch(String name) {
        Golden c = FILE.get("elementwise").get(name);
        Activation act = Activation.softplus(c.get("beta").asDouble(), c.get("threshold").asDouble());
        replay(name, act, c.get("input"), c.get("upstream"), c);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void softmaxAndLogSoftmaxWithTemperatureMatchPyTorch(int index) {
        Golden s = FILE.get("softmax");
        Golden c = s.get("cases").get(index);
        double t = c.get("temperature").asDouble();
        replay("softmax T=" + t, Activation.softmax(-1, t), s.get("input"), s.get("upstream"), c.get("softmax"));
        replay("log_softmax T=" + t, Activation.logSoftmax(-1, t), s.get("input"), s.get("upstream"),
                c.get("log_softmax"));
        // dim 1 of a [3, 5] input is the last dim: the same numbers.
        replay("softmax(dim=1) T=" + t, Activation.softmax(1, t), s.get("input"), s.get("upstream"), c.get("softmax"));
    }

    private static void replay(String what, Activation act, Golden input, Golden upstream, Golden expected) {
        Tensor x = input.tensor().requiresGrad(true);
        Tensor y = act.forward(x);
        y.backward(upstream.tensor(), false);
        FILE.tolerance().assertClose(what + " output", expected.get("output").tensor(), y);
        FILE.tolerance().assertClose(what + " grad", expected.get("grad").tensor(), x.grad());
    }
}
