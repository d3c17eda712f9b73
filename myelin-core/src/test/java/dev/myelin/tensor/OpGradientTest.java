package dev.myelin.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A central-difference gradient check for every differentiable op in {@link Op}; the ops the
 * checked graphs contain are collected here, and the last test fails when an op has no check.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpGradientTest {
    private static final Set<Op> CHECKED = EnumSet.noneOf(Op.class);
    private final Rng rng = new Rng(7);

    /** {@link GradCheck#DEFAULT}'s check, noting the ops of the checked graph. */
    private static void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        CHECKED.addAll(GraphOps.of(f.apply(inputs)));
        GradCheck.DEFAULT.check(name, f, inputs);
    }

    private Tensor var(int... shape) {
        return Tensor.uniform(rng, -1f, 1f, shape).requiresGrad(true);
    }

    /** Values bounded away from zero (kinks of relu/abs, poles of div/log). */
    private Tensor awayFromZero(int... shape) {
        Tensor t = Tensor.uniform(rng, 0.5f, 1.5f, shape);
        for (int i = 0; i < t.data.length; i++) {
            if (rng.nextDouble() < 0.5) {
                t.data[i] = -t.data[i];
            }
        }
        return t.requiresGrad(true);
    }

    private Tensor positive(int... shape) {
        return Tensor.uniform(rng, 0.5f, 2f, shape).requiresGrad(true);
    }

    @Test
    @Order(1)
    void binaryOpsWithBroadcasting() {
        check("add", t -> t[0].add(t[1]), var(3, 4), var(4));
        check("sub", t -> t[0].sub(t[1]), var(3, 1), var(2, 3, 4));
        check("mul", t -> t[0].mul(t[1]), var(3, 4), var(3, 1));
        check("div", t -> t[0].div(t[1]), var(2, 3), awayFromZero(3));
        check("maximum", t -> t[0].maximum(t[1]), var(4, 5), var(5).add(0.05f).detach().requiresGrad(true));
        check("minimum", t -> t[0].minimum(t[1]), var(4, 5), var(4, 1));
        Tensor mask = Tensor.bernoulli(rng, 0.5, 3, 4);
        check("where", t -> Tensor.where(mask, t[0], t[1]), var(3, 4), var(4));
    }

    @Test
    @Order(1)
    void unaryOps() {
        check("neg", t -> t[0].neg(), var(5));
        check("addScalar", t -> t[0].add(2.5f), var(5));
        check("mulScalar", t -> t[0].mul(-3f), var(5));
        check("exp", t -> t[0].exp(), var(2, 3));
        check("log", t -> t[0].log(), positive(2, 3));
        check("pow", t -> t[0].pow(3f), var(2, 3));
        check("pow fractional", t -> t[0].pow(1.5f), positive(4));
        check("sqrt", t -> t[0].sqrt(), positive(4));
        check("abs", t -> t[0].abs(), awayFromZero(6));
        check("relu", t -> t[0].relu(), awayFromZero(3, 4));
        check("sigmoid", t -> t[0].sigmoid(), var(3, 4));
        check("tanh", t -> t[0].tanh(), var(3, 4));
        check("softplus", t -> t[0].softplus(1f, 20f), var(3, 4));
        check("softplus beta 2, linear region", t -> t[0].mul(15f).softplus(2f, 20f), var(3, 4));
    }

    @Test
    @Order(1)
    void fusedActivations() {
        check("leakyRelu", t -> t[0].leakyRelu(0.1f), awayFromZero(3, 4));
        check("elu", t -> t[0].elu(1f, 1f, 1f), awayFromZero(3, 4));
        check("selu", t -> t[0].elu(1.6732632f, 1.050701f, 1f), awayFromZero(3, 4));
        check("elu input scale", t -> t[0].elu(0.5f, 2f, 1.5f), awayFromZero(3, 4));
        check("gelu", t -> t[0].gelu(false), var(3, 4).mul(3f).detach().requiresGrad(true));
        check("gelu tanh", t -> t[0].gelu(true), var(3, 4).mul(3f).detach().requiresGrad(true));
        check("erf", t -> t[0].erf(), var(3, 4).mul(2f).detach().requiresGrad(true));
    }

    /** The backward rules of the fused activations written with tensor ops (createGraph) are right too. */
    @Test
    @Order(2)
    void fusedActivationsGradOfGrad() {
        Tensor v = Tensor.uniform(rng, -1f, 1f, 3, 4);
        for (String name : new String[] {"leakyRelu", "elu", "gelu", "gelu tanh", "erf"}) {
            check(name + " grad of grad", t -> {
                try (GradMode.Scope s = GradMode.enableGrad()) {
                    Tensor y = switch (name) {
                        case "leakyRelu" -> t[0].leakyRelu(0.1f);
                        case "elu" -> t[0].elu(1.6732632f, 1.050701f, 1f);
                        case "gelu" -> t[0].gelu(false);
                        case "gelu tanh" -> t[0].gelu(true);
                        default -> t[0].erf();
                    };
                    Tensor loss = y.mul(y).mul(v).sum();
                    return Autograd.grad(loss, List.of(t[0]), null, true).get(0);
                }
            }, awayFromZero(3, 4));
        }
    }

    @Test
    @Order(1)
    void reductions() {
        check("sum all", t -> t[0].sum(), var(3, 4));
        check("sum axes", t -> t[0].sum(new int[] {0, 2}, false), var(2, 3, 4));
        check("sum keepdim", t -> t[0].sum(1, true), var(2, 3, 4));
        check("mean", t -> t[0].mean(new int[] {-1}, false), var(3, 5));
        check("var unbiased", t -> t[0].var(new int[] {0}, true, false), var(6, 3));
        check("max", t -> t[0].max(1, false), var(4, 5));
        check("logsumexp", t -> t[0].logsumexp(-1, false), var(3, 5));
        check("broadcastTo", t -> t[0].broadcastTo(2, 3, 4), var(3, 1));
        check("sumTo", t -> t[0].sumTo(1, 4), var(2, 3, 4));
    }

    @Test
    @Order(1)
    void linearAlgebra() {
        check("matmul", t -> t[0].matmul(t[1]), var(3, 4), var(4, 5));
        check("matmul Aᵀ", t -> t[0].matmul(t[1], true, false), var(4, 3), var(4, 5));
        check("matmul Bᵀ", t -> t[0].matmul(t[1], false, true), var(3, 4), var(5, 4));
        check("matmul AᵀBᵀ", t -> t[0].matmul(t[1], true, true), var(4, 3), var(5, 4));
        check("batched matmul", t -> t[0].matmul(t[1]), var(2, 3, 4), var(2, 4, 2));
        check("linear", t -> Tensor.linear(t[0], t[1], t[2]), var(5, 4), var(3, 4), var(3));
        check("linear no bias", t -> Tensor.linear(t[0], t[1], null), var(5, 4), var(3, 4));
    }

    @Test
    @Order(1)
    void shapesAndIndexing() {
        check("reshape", t -> t[0].reshape(6, -1).mul(t[0].reshape(6, 2)), var(3, 4));
        check("permute", t -> t[0].permute(2, 0, 1), var(2, 3, 4));
        check("transpose", t -> t[0].transpose(0, 1), var(2, 3));
        check("concat", t -> Tensor.concat(List.of(t[0], t[1]), 1), var(2, 3), var(2, 2));
        check("slice", t -> t[0].slice(1, 1, 3), var(3, 4));
        check("embed", t -> t[0].embed(0, 1, 4), var(2, 3));
        check("indexSelect", t -> t[0].indexSelect(0, new int[] {2, 0, 2}), var(3, 4));
        check("indexAdd", t -> t[0].indexAdd(1, new int[] {1, 1, 0}, 3), var(2, 3));
        Tensor cls = Tensor.of(new float[] {2, 0, 1, 2}, 4);
        check("gather", t -> t[0].gather(cls), var(4, 3));
        check("scatter", t -> t[0].scatter(cls, 3), var(4));
    }

    @Test
    @Order(1)
    void softmaxFamily() {
        check("logSoftmax", t -> t[0].logSoftmax(-1), var(3, 5));
        check("logSoftmax axis 0", t -> t[0].logSoftmax(0), var(3, 5));
        check("softmax", t -> t[0].softmax(1), var(2, 4, 3));
    }

    @Test
    @Order(1)
    void batchNormOverTheWholeBatch() {
        // every output of the batch depends on every input of its channel
        check("batchNorm [N,C]", t -> Tensor.batchNorm(t[0], t[1], t[2], 1e-5f).output(), var(6, 3), var(3), var(3));
        check("batchNorm [N,C,L]", t -> Tensor.batchNorm(t[0], t[1], null, 1e-5f).output(), var(3, 2, 4), var(2));
        check("batchNorm [N,C,H,W]", t -> Tensor.batchNorm(t[0], t[1], t[2], 1e-5f).output(),
                var(2, 3, 2, 3), var(3), var(3));
        Tensor constant = Tensor.uniform(rng, -1f, 1f, 2, 2, 3);
        check("batchNorm, parameters only", t -> Tensor.batchNorm(constant, t[0], t[1], 1e-5f).output(),
                var(2), var(2));
        check("batchNorm grad of grad", t -> {
            try (GradMode.Scope s = GradMode.enableGrad()) {
                Tensor y = Tensor.batchNorm(t[0], null, null, 1e-5f).output();
                Tensor gx = Autograd.grad(y.mul(y).mul(y).sum(), List.of(t[0]), null, true).get(0);
                return gx;
            }
        }, var(5, 2));
        check("batchNorm [N,C,L] grad of grad", t -> {
            try (GradMode.Scope s = GradMode.enableGrad()) {
                Tensor y = Tensor.batchNorm(t[0], t[1], null, 1e-5f).output();
                return Autograd.grad(y.mul(y).mul(y).sum(), List.of(t[0]), null, true).get(0);
            }
        }, var(2, 2, 3), var(2));
        // the createGraph rule (BatchNormOp.differentiableBackward) differentiated in dy, x, γ and β:
        // dx, dγ and dβ of a loss whose upstream gradient depends on x
        for (int[] shape : new int[][] {{6, 3}, {2, 3, 2, 3}}) {
            check("batchNorm γ, β grad of grad " + java.util.Arrays.toString(shape), t -> {
                try (GradMode.Scope s = GradMode.enableGrad()) {
                    Tensor y = Tensor.batchNorm(t[0], t[1], t[2], 1e-5f).output();
                    List<Tensor> g = Autograd.grad(y.mul(y).mul(y.tanh()).sum(), List.of(t[0], t[1], t[2]), null, true);
                    return Tensor.concat(List.of(g.get(0).reshape(-1), g.get(1), g.get(2)), 0);
                }
            }, var(shape), var(3), var(3));
        }
    }

    @Test
    @Order(1)
    void convolution() {
        Conv2dSpec plain = Conv2dSpec.of(1, 1, 1, 1);
        check("conv2d", t -> Tensor.conv2d(t[0], t[1], t[2], plain), var(2, 2, 5, 4), var(3, 2, 3, 3), var(3));
        check("conv2d stride 2", t -> Tensor.conv2d(t[0], t[1], t[2], Conv2dSpec.of(2, 1, 1, 1)),
                var(2, 2, 6, 5), var(3, 2, 3, 3), var(3));
        check("conv2d dilation 2, no bias", t -> Tensor.conv2d(t[0], t[1], null, new Conv2dSpec(1, 2, 2, 1, 2, 2, 1)),
                var(1, 2, 7, 6), var(2, 2, 3, 2));
        check("conv2d groups 2", t -> Tensor.conv2d(t[0], t[1], t[2], Conv2dSpec.of(1, 0, 1, 2)),
                var(2, 4, 4, 4), var(6, 2, 2, 2), var(6));
        check("conv2d 1x1", t -> Tensor.conv2d(t[0], t[1], t[2], Conv2dSpec.defaults()), var(2, 3, 3, 2), var(4, 3, 1, 1), var(4));
        Conv2dSpec s2 = Conv2dSpec.of(2, 1, 1, 1);
        int[] xs = {2, 2, 5, 5};
        int[] ws = {3, 2, 3, 3};
        check("conv2d grad input", t -> ConvOps.gradInput(t[0], t[1], s2, xs), var(2, 3, 3, 3), var(ws));
        check("conv2d grad weight", t -> ConvOps.gradWeight(t[0], t[1], s2, ws), var(xs), var(2, 3, 3, 3));
        Tensor r = Tensor.uniform(rng, -1f, 1f, 2, 3, 3, 3);
        check("conv2d grad of grad", t -> {
            try (GradMode.Scope s = GradMode.enableGrad()) {
                Tensor y = Tensor.conv2d(t[0], t[1], null, s2).tanh();
                List<Tensor> g = Autograd.grad(y.mul(r).sum(), List.of(t[0], t[1]), null, true);
                return g.get(0).square().sum().add(g.get(1).square().sum());
            }
        }, var(xs), var(ws));
    }

    /** Distinct values (a shuffled ramp with gaps far above the check's step), so no maximum is tied. */
    private Tensor distinct(int... shape) {
        Tensor t = Tensor.zeros(shape);
        int n = t.numel();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            int j = (int) (rng.nextDouble() * (i + 1));
            perm[i] = perm[j];
            perm[j] = i;
        }
        for (int i = 0; i < n; i++) {
            t.data[i] = (perm[i] - n / 2f) * 0.05f;
        }
        return t.requiresGrad(true);
    }

    @Test
    @Order(1)
    void pooling() {
        check("maxPool2d", t -> t[0].maxPool2d(Pool2dSpec.of(2, 2, 0)), distinct(2, 3, 5, 4));
        check("maxPool2d overlapping, padded", t -> t[0].maxPool2d(Pool2dSpec.of(3, 2, 1)), distinct(1, 2, 6, 5));
        check("maxPool2d grad of grad", t -> {
            try (GradMode.Scope s = GradMode.enableGrad()) {
                Tensor y = t[0].maxPool2d(Pool2dSpec.of(2, 1, 0));
                Tensor gx = Autograd.grad(y.square().sum(), List.of(t[0]), null, true).get(0);
                return gx.square();
            }
        }, distinct(1, 2, 4, 4));
        check("avgPool2d", t -> t[0].avgPool2d(Pool2dSpec.of(3, 2, 1)), var(2, 2, 6, 5));
        check("avgPool2d without padding counted", t -> t[0].avgPool2d(Pool2dSpec.of(2, 1, 1).withCountIncludePad(false)),
                var(1, 2, 3, 4));
        check("adaptiveAvgPool2d", t -> t[0].adaptiveAvgPool2d(3, 2), var(2, 2, 7, 5));
        check("avgPool2d grad of grad", t -> {
            try (GradMode.Scope s = GradMode.enableGrad()) {
                Tensor y = t[0].avgPool2d(Pool2dSpec.of(2, 2, 0));
                Tensor gx = Autograd.grad(y.square().sum(), List.of(t[0]), null, true).get(0);
                return gx.square();
            }
        }, var(1, 2, 4, 4));
    }

    @Test
    @Order(2)
    void secondOrderThroughBackwardRules() {
        // d/dx of (dL/dx · v) checks that the backward rules of tanh, linear, logSoftmax are differentiable.
        Tensor w = var(3, 4);
        Tensor b = var(3);
        Tensor v = Tensor.uniform(rng, -1f, 1f, 5, 4);
        Tensor cls = Tensor.of(new float[] {0, 2, 1, 1, 0}, 5);
        check("grad of grad", t -> {
            try (GradMode.Scope s = GradMode.enableGrad()) {
                Tensor x = t[0];
                Tensor loss = Tensor.linear(x.tanh(), w, b).logSoftmax(-1).gather(cls).neg().mean();
                Tensor gx = Autograd.grad(loss, List.of(x), null, true).get(0);
                return gx.mul(v).sum();
            }
        }, var(5, 4));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void everyOpHasAGradientCheck() {
        Set<Op> missing = EnumSet.allOf(Op.class);
        missing.removeAll(CHECKED);
        assertEquals(Set.of(), missing, "ops without a gradient check");
    }
}
