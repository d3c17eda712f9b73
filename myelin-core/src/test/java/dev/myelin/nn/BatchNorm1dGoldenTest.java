package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.io.Golden;
import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BatchNorm1d replays torch.nn.BatchNorm1d (golden/batchnorm1d.json for [N, C],
 * golden/batchnorm1d_3d.json for [N, C, L]): training outputs and running statistics after
 * every step (running variance unbiased, momentum 0.1 on the batch statistic), the gradients
 * at step 1, and the eval-mode output from the running statistics.
 */
class BatchNorm1dGoldenTest {
    @ParameterizedTest
    @ValueSource(strings = {"batchnorm1d.json", "batchnorm1d_3d.json"})
    void trainingStepsGradientsAndEvalMatchPyTorch(String file) {
        Golden g = Golden.load(file);
        Golden.Tolerance tol = g.tolerance();
        BatchNorm1d bn = fromOptions(g.get("options"));
        bn.weight().copyFrom(g.get("weight").tensor());
        bn.bias().copyFrom(g.get("bias").tensor());

        Golden steps = g.get("steps");
        for (int k = 0; k < steps.size(); k++) {
            Golden step = steps.get(k);
            String at = file + " step " + (k + 1) + ": ";
            Tensor x = step.get("input").tensor().requiresGrad(k == 0);
            Tensor y = bn.forward(x);
            tol.assertClose(at + "output", step.get("output").tensor(), y);
            tol.assertClose(at + "running_mean", step.get("running_mean").tensor(), bn.runningMean());
            tol.assertClose(at + "running_var", step.get("running_var").tensor(), bn.runningVar());
            assertEquals(step.get("num_batches_tracked").asLong(),
                    (long) bn.stateDict().get("num_batches_tracked").item(), at + "num_batches_tracked");
            if (k == 0) {
                Golden grads = g.get("grad_step1");
                y.backward(grads.get("upstream").tensor(), false);
                tol.assertClose(at + "grad_input", grads.get("grad_input").tensor(), x.grad());
                tol.assertClose(at + "grad_weight", grads.get("grad_weight").tensor(), bn.weight().grad());
                tol.assertClose(at + "grad_bias", grads.get("grad_bias").tensor(), bn.bias().grad());
            }
        }

        bn.eval();
        Tensor yEval;
        try (GradMode.Scope s = GradMode.noGrad()) {
            yEval = bn.forward(g.get("eval").get("input").tensor());
        }
        tol.assertClose(file + " eval output", g.get("eval").get("output").tensor(), yEval);
        assertEquals(steps.size(), (long) bn.stateDict().get("num_batches_tracked").item(),
                "eval mode does not count batches");
    }

    private static BatchNorm1d fromOptions(Golden o) {
        return new BatchNorm1d((int) o.get("num_features").asLong(), o.get("eps").asDouble(),
                o.get("momentum").asDouble(), o.get("affine").asBoolean(), o.get("track_running_stats").asBoolean());
    }

    @Test
    void wrongInputShapeNamesTheLayerTheExpectedAndTheReceivedShape() {
        BatchNorm1d bn = new BatchNorm1d(4);
        for (int[] shape : new int[][] {{6, 3}, {2, 4, 3, 3}, {4}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> bn.forward(Tensor.zeros(shape)), java.util.Arrays.toString(shape));
            String msg = e.getMessage();
            assertTrue(msg.contains("BatchNorm1d(4)"), msg);
            assertTrue(msg.contains("[N, 4]") && msg.contains("[N, 4, L]"), msg);
            assertTrue(msg.contains(java.util.Arrays.toString(shape)), msg);
        }
    }
}
