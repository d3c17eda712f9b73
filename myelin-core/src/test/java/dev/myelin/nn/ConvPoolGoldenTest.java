package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.myelin.io.Golden;
import dev.myelin.tensor.Autograd;
import dev.myelin.tensor.Conv2dSpec;
import dev.myelin.tensor.Pool2dSpec;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Conv2d, MaxPool2d, AvgPool2d and AdaptiveAvgPool2d replay PyTorch (golden/conv2d.json and
 * golden/pool2d.json from tools/golden/make_golden_conv.py): outputs, the gradients of
 * sum(output · upstream) with respect to input, weight and bias, and a second-order gradient.
 * The weights are loaded through the state dict, so its keys are PyTorch's too.
 */
class ConvPoolGoldenTest {

    @Test
    void conv2dMatchesPyTorch() {
        Golden file = Golden.load("conv2d.json");
        Golden.Tolerance tol = file.tolerance();
        Golden cases = file.get("cases");
        for (int i = 0; i < cases.size(); i++) {
            Golden c = cases.get(i);
            String at = "conv2d '" + c.get("name").asString() + "' ";
            Conv2d conv = fromOptions(c);
            Map<String, Tensor> state = new LinkedHashMap<>();
            state.put("weight", c.get("weight").tensor());
            if (c.has("bias")) {
                state.put("bias", c.get("bias").tensor());
            }
            conv.loadStateDict(state, true);

            Tensor x = c.get("input").tensor().requiresGrad(true);
            Tensor y = conv.forward(x);
            tol.assertClose(at + "output", c.get("output").tensor(), y);
            y.backward(c.get("upstream").tensor(), false);
            tol.assertClose(at + "grad_input", c.get("grad_input").tensor(), x.grad());
            tol.assertClose(at + "grad_weight", c.get("grad_weight").tensor(), conv.weight().grad());
            if (c.has("bias")) {
                tol.assertClose(at + "grad_bias", c.get("grad_bias").tensor(), conv.bias().grad());
            } else {
                assertNull(conv.bias(), at + "has no bias");
            }
            if (c.has("double_backward")) {
                Tensor gx = Autograd.grad(conv.forward(x).mul(c.get("upstream").tensor()).sum(), List.of(x), null, true).get(0);
                Tensor gw = Autograd.grad(gx.square().sum(), List.of(conv.weight()), null, false).get(0);
                tol.assertClose(at + "d/dweight of |grad_input|^2",
                        c.get("double_backward").get("grad_weight_of_grad_input_norm").tensor(), gw);
            }
        }
    }

    private static Conv2d fromOptions(Golden c) {
        Golden o = c.get("options");
        int[] w = c.get("weight").tensor().shape();
        Conv2dSpec spec = new Conv2dSpec(
                (int) o.get("stride").get(0).asLong(), (int) o.get("stride").get(1).asLong(),
                (int) o.get("padding").get(0).asLong(), (int) o.get("padding").get(1).asLong(),
                (int) o.get("dilation").get(0).asLong(), (int) o.get("dilation").get(1).asLong(),
                (int) o.get("groups").asLong());
        return new Conv2d(w[1] * spec.groups(), w[0], w[2], w[3], spec, c.has("bias"), new Rng(0));
    }

    @Test
    void poolingMatchesPyTorch() {
        Golden file = Golden.load("pool2d.json");
        Golden.Tolerance tol = file.tolerance();
        Golden cases = file.get("cases");
        for (int i = 0; i < cases.size(); i++) {
            Golden c = cases.get(i);
            String at = c.get("op").asString() + " '" + c.get("name").asString() + "' ";
            Module pool = fromOptions(c.get("op").asString(), c.get("options"));
            Tensor x = c.get("input").tensor().requiresGrad(true);
            Tensor y = pool.forward(x);
            tol.assertClose(at + "output", c.get("output").tensor(), y);
            y.backward(c.get("upstream").tensor(), false);
            tol.assertClose(at + "grad_input", c.get("grad_input").tensor(), x.grad());
        }
        assertEquals(7, cases.size());
    }

    private static Module fromOptions(String op, Golden o) {
        if (op.equals("adaptive_avg_pool2d")) {
            return new AdaptiveAvgPool2d((int) o.get("output_size").get(0).asLong(), (int) o.get("output_size").get(1).asLong());
        }
        Pool2dSpec spec = new Pool2dSpec(
                (int) o.get("kernel").get(0).asLong(), (int) o.get("kernel").get(1).asLong(),
                (int) o.get("stride").get(0).asLong(), (int) o.get("stride").get(1).asLong(),
                (int) o.get("padding").get(0).asLong(), (int) o.get("padding").get(1).asLong(),
                o.get("count_include_pad").asBoolean());
        return op.equals("max_pool2d") ? new MaxPool2d(spec) : new AvgPool2d(spec);
    }
}
