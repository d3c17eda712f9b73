package dev.myelin.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fused op ({@link Op.Kind#FUSED}) against its composed reference in {@link Composed}, at
 * odd shapes (1, 7, 13, 1023 and past the parallel threshold): the forward values, and the
 * gradients for a random upstream gradient through both backward paths (the fused kernel, and
 * the tensor-op rule that runs with {@code createGraph}). A fused op without a case here fails.
 */
class FusedOpTest {
    private static final double ATOL = 2e-5;
    private static final double RTOL = 1e-4;
    private static final int[][] POINTWISE_SHAPES = {{1}, {7}, {13}, {3, 5}, {1023}, {5, 8193}};
    private static final Map<Op, List<Case>> CASES = cases();

    /** One evaluation: input shapes, the fused call and the composed call on the same inputs. */
    record Case(String name, int[][] shapes, Function<Tensor[], Tensor> fused, Function<Tensor[], Tensor> composed) {
        @Override
        public String toString() {
            return name + " " + Arrays.deepToString(shapes);
        }
    }

    private static Map<Op, List<Case>> cases() {
        Map<Op, List<Case>> m = new EnumMap<>(Op.class);
        pointwise(m, Op.RELU, "relu", Tensor::relu, Composed::relu);
        pointwise(m, Op.LEAKY_RELU, "leakyRelu 0.1", x -> x.leakyRelu(0.1f), x -> Composed.leakyRelu(x, 0.1f));
        pointwise(m, Op.ELU, "elu", x -> x.elu(1f, 1f, 1f), x -> Composed.elu(x, 1f, 1f, 1f));
        pointwise(m, Op.ELU, "selu", x -> x.elu(1.6732632f, 1.050701f, 1f), x -> Composed.elu(x, 1.6732632f, 1.050701f, 1f));
        pointwise(m, Op.ELU, "elu input scale", x -> x.elu(0.5f, 2f, 1.5f), x -> Composed.elu(x, 0.5f, 2f, 1.5f));
        pointwise(m, Op.GELU, "gelu", x -> x.gelu(false), x -> Composed.gelu(x, false));
        pointwise(m, Op.GELU, "gelu tanh", x -> x.gelu(true), x -> Composed.gelu(x, true));
        pointwise(m, Op.SIGMOID, "sigmoid", Tensor::sigmoid, Composed::sigmoid);
        pointwise(m, Op.SOFTPLUS, "softplus", x -> x.softplus(1f, 20f), x -> Composed.softplus(x, 1f, 20f));
        pointwise(m, Op.SOFTPLUS, "softplus beta 2, both regions", x -> x.softplus(2f, 3f), x -> Composed.softplus(x, 2f, 3f));
        for (int[] s : new int[][] {{1, 1}, {7, 13}, {13, 1}}) {
            add(m, Op.LOG_SOFTMAX, "logSoftmax last axis", t -> t[0].logSoftmax(-1), t -> Composed.logSoftmax(t[0], -1), s);
            add(m, Op.SOFTMAX, "softmax last axis", t -> t[0].softmax(-1), t -> Composed.softmax(t[0], -1), s);
        }
        add(m, Op.LOG_SOFTMAX, "logSoftmax axis 1", t -> t[0].logSoftmax(1), t -> Composed.logSoftmax(t[0], 1), new int[] {3, 7, 5});
        add(m, Op.SOFTMAX, "softmax axis 0", t -> t[0].softmax(0), t -> Composed.softmax(t[0], 0), new int[] {7, 3});
        Function<Tensor[], Tensor> linear = t -> Tensor.linear(t[0], t[1], t.length > 2 ? t[2] : null);
        Function<Tensor[], Tensor> linearRef = t -> Composed.linear(t[0], t[1], t.length > 2 ? t[2] : null);
        add(m, Op.LINEAR, "linear", linear, linearRef, new int[] {1, 5}, new int[] {3, 5}, new int[] {3});
        add(m, Op.LINEAR, "linear", linear, linearRef, new int[] {7, 13}, new int[] {1, 13}, new int[] {1});
        add(m, Op.LINEAR, "linear [..., in], no bias", linear, linearRef, new int[] {2, 3, 7}, new int[] {5, 7});
        for (int[] s : new int[][] {{3, 5}, {2, 3, 4, 5}, {13, 2}, {7, 1, 1}, {1, 3, 7}}) {
            int[] c = {s[1]};
            add(m, Op.BATCH_NORM, "batchNorm γ, β", t -> Tensor.batchNorm(t[0], t[1], t[2], 1e-5f).output(),
                    t -> Composed.batchNorm(t[0], t[1], t[2], 1e-5f), s, c, c);
            add(m, Op.BATCH_NORM, "batchNorm γ", t -> Tensor.batchNorm(t[0], t[1], null, 1e-5f).output(),
                    t -> Composed.batchNorm(t[0], t[1], null, 1e-5f), s, c);
            add(m, Op.BATCH_NORM, "batchNorm without affine", t -> Tensor.batchNorm(t[0], null, null, 1e-5f).output(),
                    t -> Composed.batchNorm(t[0], null, null, 1e-5f), s);
        }
        return m;
    }

    private static void pointwise(Map<Op, List<Case>> m, Op op, String name, Function<Tensor, Tensor> fused,
                                  Function<Tensor, Tensor> composed) {
        for (int[] s : POINTWISE_SHAPES) {
            add(m, op, name, t -> fused.apply(t[0]), t -> composed.apply(t[0]), s);
        }
    }

    private static void add(Map<Op, List<Case>> m, Op op, String name, Function<Tensor[], Tensor> fused,
                            Function<Tensor[], Tensor> composed, int[]... shapes) {
        m.computeIfAbsent(op, k -> new ArrayList<>()).add(new Case(name, shapes, fused, composed));
    }

    static Stream<Op> fusedOps() {
        return Op.ofKind(Op.Kind.FUSED).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fusedOps")
    void matchesItsComposedReference(Op op) {
        List<Case> cases = CASES.get(op);
        assertNotNull(cases, op + " is fused but FusedOpTest has no case comparing it with its composed reference");
        Rng rng = new Rng(op.ordinal() + 1);
        for (Case c : cases) {
            compare(op, c, rng, false);
            compare(op, c, rng, true);
        }
    }

    @Test
    void everyCaseIsOfAFusedOp() {
        assertEquals(Op.ofKind(Op.Kind.FUSED), CASES.keySet());
    }

    @Test
    void batchNormReturnsTheBatchMeanAndBiasedVariance() {
        Tensor x = Tensor.uniform(new Rng(3), -2f, 2f, 2, 3, 4, 5);
        BatchNormResult r = Tensor.batchNorm(x, null, null, 1e-5f);
        int[] axes = {0, 2, 3};
        assertArrayEquals(x.mean(axes, false).data(), r.mean(), 1e-6f);
        assertArrayEquals(x.var(axes, false, false).data(), r.var(), 1e-6f);
    }

    private static void compare(Op op, Case c, Rng rng, boolean createGraph) {
        String what = op + " " + c + (createGraph ? ", createGraph" : "");
        Tensor[] in = new Tensor[c.shapes().length];
        for (int i = 0; i < in.length; i++) {
            in[i] = Tensor.uniform(rng, -2f, 2f, c.shapes()[i]).requiresGrad(true);
        }
        Tensor fused = c.fused().apply(in);
        Tensor composed = c.composed().apply(in);
        assertEquals(op, fused.op(), what + ": the case does not run the fused op");
        Set<Op> used = GraphOps.of(composed);
        assertTrue(used.stream().noneMatch(Op::isFused), what + ": the reference uses fused ops " + used);
        assertClose(what + " forward", composed, fused);
        Tensor g = Tensor.uniform(rng, -1f, 1f, fused.shape());
        List<Tensor> want = Autograd.grad(composed, List.of(in), g, false);
        List<Tensor> got = Autograd.grad(fused, List.of(in), g, createGraph);
        for (int i = 0; i < in.length; i++) {
            assertClose(what + " d/d(input " + i + ")", want.get(i), got.get(i));
        }
    }

    private static void assertClose(String what, Tensor want, Tensor got) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        for (int i = 0; i < want.numel(); i++) {
            double w = want.data[i];
            double diff = Math.abs(got.data[i] - w);
            if (!(diff <= ATOL + RTOL * Math.abs(w))) {
                throw new AssertionError(String.format("%s [%d]: fused %.7g vs composed %.7g (|diff| %.3g)",
                        what, i, got.data[i], w, diff));
            }
        }
    }
}
