package dev.myelin.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Double backpropagation (a gradient taken with {@code createGraph}, then differentiated
 * again, as the Jacobian penalty does) costs a bounded number of backward passes through each
 * recorded op, whatever the depth of the network: no backward rule may run a nested backward
 * pass over the graph beneath its input. Measured by a counting identity node under a stack of
 * d copies of one fused op: its backward rule runs once in the createGraph pass and once in
 * the final one, at depth 1 as at depth 8. (Batch norm's createGraph rule used to differentiate
 * its composed reference with a nested {@code Autograd.grad}, which walked the whole graph
 * beneath it: 2^d passes through a stack of d batch norms.)
 */
class DoubleBackwardCostTest {
    private static final int N = 5;
    private static final int C = 3;

    /** One layer of the stack: the fused op applied to h, with parameters drawn from rng where it has any. */
    static Stream<Arguments> fusedOps() {
        return Stream.of(
                Arguments.of(Op.BATCH_NORM, layer((h, rng) -> Tensor.batchNorm(h, param(rng, C), param(rng, C), 1e-5f).output())),
                Arguments.of(Op.BATCH_NORM, layer((h, rng) -> Tensor.batchNorm(h.reshape(N, 1, C), null, null, 1e-5f).output()
                        .reshape(N, C))),
                Arguments.of(Op.LINEAR, layer((h, rng) -> Tensor.linear(h, param(rng, C, C), param(rng, C)))),
                Arguments.of(Op.RELU, layer((h, rng) -> h.add(0.1f).relu())),
                Arguments.of(Op.LEAKY_RELU, layer((h, rng) -> h.leakyRelu(0.1f))),
                Arguments.of(Op.ELU, layer((h, rng) -> h.elu(1f, 1f, 1f))),
                Arguments.of(Op.GELU, layer((h, rng) -> h.gelu(false))),
                Arguments.of(Op.GELU, layer((h, rng) -> h.gelu(true))),
                Arguments.of(Op.SIGMOID, layer((h, rng) -> h.sigmoid())),
                Arguments.of(Op.SOFTPLUS, layer((h, rng) -> h.softplus(1f, 20f))),
                Arguments.of(Op.LOG_SOFTMAX, layer((h, rng) -> h.logSoftmax(-1))),
                Arguments.of(Op.SOFTMAX, layer((h, rng) -> h.softmax(-1))));
    }

    private static BiFunction<Tensor, Rng, Tensor> layer(BiFunction<Tensor, Rng, Tensor> f) {
        return f;
    }

    private static Tensor param(Rng rng, int... shape) {
        return Tensor.uniform(rng, 0.5f, 1.5f, shape).requiresGrad(true);
    }

    /** How often the counting node's backward rule runs in grad(·, createGraph) and the backward of its square. */
    private static int backwardPassesThroughTheBottom(Op op, BiFunction<Tensor, Rng, Tensor> layer, int depth) {
        Rng rng = new Rng(11);
        Tensor x = Tensor.uniform(rng, -1f, 1f, N, C).requiresGrad(true);
        int[] count = {0};
        Tensor h = new Tensor(x.data, x.shape).record(Op.RESHAPE, g -> {
            count[0]++;
            return new Tensor[] {g};
        }, x);
        for (int i = 0; i < depth; i++) {
            h = layer.apply(h, rng);
        }
        assertTrue(GraphOps.of(h).contains(op), op + " is in the stack");
        Tensor r = Tensor.uniform(rng, -1f, 1f, N, C);
        try (GradMode.Scope s = GradMode.enableGrad()) {
            Tensor gx = Autograd.grad(h.mul(h).mul(r).sum(), List.of(x), null, true).get(0);
            gx.mul(gx).sum().backward();
        }
        assertTrue(x.grad() != null, "the penalty-like objective reaches the input");
        return count[0];
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fusedOps")
    void doubleBackwardRunsEachRuleABoundedNumberOfTimes(Op op, BiFunction<Tensor, Rng, Tensor> layer) {
        assertEquals(2, backwardPassesThroughTheBottom(op, layer, 1), op + " at depth 1");
        assertEquals(2, backwardPassesThroughTheBottom(op, layer, 8), op + " at depth 8");
    }

    @Test
    void everyFusedOpIsCovered() {
        assertEquals(Op.ofKind(Op.Kind.FUSED),
                fusedOps().map(a -> (Op) a.get()[0]).collect(java.util.stream.Collectors.toSet()));
    }
}
