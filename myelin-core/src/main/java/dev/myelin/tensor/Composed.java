package dev.myelin.tensor;

import java.util.Arrays;

/**
 * The composed reference of every fused op ({@link Op.Kind#FUSED}): the same function written
 * with primitive ops only, so autograd derives its gradient from the primitives' rules. These
 * are the specification the fused kernels are tested against at odd shapes, forward and
 * backward (tinygrad's "slow, readable reference"); training runs the fused kernels, which are
 * faster and round differently.
 */
public final class Composed {
    private static final float INV_SQRT_2 = (float) (1 / Math.sqrt(2));
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    private static final float GELU_TANH_C = 0.044715f;

    private Composed() {
    }

    /** {@link Tensor#relu}: x·(x &gt; 0). */
    public static Tensor relu(Tensor x) {
        return x.mul(x.gt(0f));
    }

    /** {@link Tensor#leakyRelu}: where(x &gt; 0, x, slope·x). */
    public static Tensor leakyRelu(Tensor x, float slope) {
        return Tensor.where(x.gt(0f), x, x.mul(slope));
    }

    /** {@link Tensor#elu}: where(x &gt; 0, scale·x, scale·alpha·(e^(inputScale·x) − 1)). */
    public static Tensor elu(Tensor x, float alpha, float scale, float inputScale) {
        return Tensor.where(x.gt(0f), x.mul(scale), x.mul(inputScale).exp().sub(1f).mul(scale * alpha));
    }

    /**
     * {@link Tensor#gelu}: x·½(1 + erf(x/√2)), or with {@code tanh}
     * ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
     */
    public static Tensor gelu(Tensor x, boolean tanh) {
        Tensor inner = tanh
                ? x.add(x.mul(x).mul(x).mul(GELU_TANH_C)).mul(SQRT_2_OVER_PI).tanh()
                : x.mul(INV_SQRT_2).erf();
        return x.mul(inner.add(1f).mul(0.5f));
    }

    /** {@link Tensor#sigmoid}: 1/(1 + e^(−x)). */
    public static Tensor sigmoid(Tensor x) {
        return x.neg().exp().add(1f).pow(-1f);
    }

    /** {@link Tensor#softplus}: where(β·x &gt; threshold, x, log(1 + e^(β·x))/β). */
    public static Tensor softplus(Tensor x, float beta, float threshold) {
        Tensor bx = x.mul(beta);
        return Tensor.where(bx.gt(threshold), x, bx.exp().add(1f).log().div(beta));
    }

    /** {@link Tensor#logSoftmax}: x − log Σ e^x along the axis (around the maximum). */
    public static Tensor logSoftmax(Tensor x, int axis) {
        return x.sub(x.logsumexp(axis, true));
    }

    /** {@link Tensor#softmax}: e^(x − log Σ e^x) along the axis. */
    public static Tensor softmax(Tensor x, int axis) {
        return logSoftmax(x, axis).exp();
    }

    /** {@link Tensor#linear}: x·Wᵀ + b over the last axis of x (b may be null). */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        int in = weight.shape[1];
        int[] outShape = x.shape.clone();
        outShape[outShape.length - 1] = weight.shape[0];
        Tensor y = x.reshape(-1, in).matmul(weight, false, true);
        return (bias == null ? y : y.add(bias)).reshape(outShape);
    }

    /**
     * {@link Tensor#batchNorm} in training mode over [N, C, ...]: per channel, over every axis
     * but 1, y = (x − μ)/√(σ² + ε)·γ + β with the batch mean μ and the biased batch variance
     * σ² (γ and β may be null).
     */
    public static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, float eps) {
        int[] axes = reductionAxes(x.dim());
        int[] chShape = channelShape(x.shape);
        Tensor xc = x.sub(x.mean(axes, true));
        Tensor var = xc.mul(xc).mean(axes, true);
        Tensor y = xc.div(var.add(eps).sqrt());
        if (gamma != null) {
            y = y.mul(gamma.reshape(chShape));
        }
        return beta == null ? y : y.add(beta.reshape(chShape));
    }

    /** Axes 0, 2, 3, ...: everything but the channel axis. */
    private static int[] reductionAxes(int rank) {
        int[] axes = new int[rank - 1];
        for (int i = 2; i < rank; i++) {
            axes[i - 1] = i;
        }
        return axes;
    }

    /** [1, C, 1, ...]: a per-channel tensor shaped to broadcast against x. */
    private static int[] channelShape(int[] xShape) {
        int[] s = new int[xShape.length];
        Arrays.fill(s, 1);
        s[1] = xShape[1];
        return s;
    }
}
