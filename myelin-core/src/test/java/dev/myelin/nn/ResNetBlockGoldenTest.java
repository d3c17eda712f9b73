package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.io.Golden;
import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BasicBlock replays torchvision's BasicBlock (golden/resnet_block.json,
 * tools/golden/make_golden_resnet.py): torch's state dict loads by key, training outputs,
 * gradients w.r.t. input and every parameter at step 1, running statistics after the steps,
 * and the eval-mode output; with a projection shortcut (stride 2) and with the identity.
 */
class ResNetBlockGoldenTest {
    private static final Golden FILE = Golden.load("resnet_block.json");

    private static Golden caseNamed(String name) {
        Golden cases = FILE.get("cases");
        for (int i = 0; i < cases.size(); i++) {
            if (cases.get(i).get("name").asString().equals(name)) {
                return cases.get(i);
            }
        }
        throw new IllegalArgumentException(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"projection_stride2", "identity"})
    void matchesTorchvisionsBasicBlock(String name) {
        Golden c = caseNamed(name);
        Golden.Tolerance tol = FILE.tolerance();
        BasicBlock block = new BasicBlock((int) c.get("in").asLong(), (int) c.get("planes").asLong(),
                (int) c.get("stride").asLong(), new Rng(1));
        List<String> keys = new ArrayList<>();
        Golden stateKeys = c.get("state_keys");
        for (int i = 0; i < stateKeys.size(); i++) {
            keys.add(stateKeys.get(i).asString());
        }
        assertEquals(keys, new ArrayList<>(block.stateDict().keySet()), name + ": state-dict keys");
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String k : keys) {
            state.put(k, c.get("state").get(k).tensor());
        }
        block.loadStateDict(state, true);

        Golden steps = c.get("steps");
        for (int s = 0; s < steps.size(); s++) {
            Tensor x = steps.get(s).get("input").tensor().requiresGrad(s == 0);
            Tensor y = block.forward(x);
            tol.assertClose(name + " step " + (s + 1) + " output", steps.get(s).get("output").tensor(), y);
            if (s == 0) {
                Golden g = c.get("grad_step1");
                y.backward(g.get("upstream").tensor(), false);
                tol.assertClose(name + " grad_input", g.get("grad_input").tensor(), x.grad());
                block.namedParameters().forEach((k, p) ->
                        tol.assertClose(name + " grad " + k, g.get("grad").get(k).tensor(), p.grad()));
            }
        }
        Map<String, Tensor> after = block.stateDict();
        for (String k : keys) {
            if (c.get("buffers").has(k)) {
                tol.assertClose(name + " " + k + " after the steps", c.get("buffers").get(k).tensor(), after.get(k));
            }
        }
        block.eval();
        try (GradMode.Scope s = GradMode.noGrad()) {
            tol.assertClose(name + " eval output", c.get("eval").get("output").tensor(),
                    block.forward(c.get("eval").get("input").tensor()));
        }
    }
}
