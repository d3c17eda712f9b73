package dev.myelin.nn.init;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * Weight initializers, as PyTorch's {@code torch.nn.init} (Fleuret, "EE-559 Deep Learning, 6. Going deeper",
 * "Deep Feedforward Networks" (Strojové učení II)). Each fills the tensor in place and returns it.
 * <pre>
 * Xavier/Glorot (Glorot &amp; Bengio 2010): U(−a, a), a = gain·√(6/(fan_in + fan_out));  N(0, gain²·2/(fan_in + fan_out))
 * Kaiming/He (He et al. 2015):           U(−b, b), b = gain·√(3/fan);                  N(0, gain²/fan)
 * LeCun (LeCun et al. 1998):              N(0, 1/fan_in)
 * orthogonal (Saxe et al. 2014):          gain·Q, Q Haar-distributed with orthonormal rows or columns
 * looks-linear (Balduzzi et al. 2017):    [W₀, −W₀], W₀ orthogonal, for a layer after a CReLU
 * </pre>
 * LSUV (Mishkin &amp; Matas 2016), which needs data, is {@link Lsuv}.
 * For a weight [out, in, k...], fan_in = in·Πk and fan_out = out·Πk.
 */
public final class Init {
    private Init() {
    }

    /** Which fan Kaiming initialization preserves: forward variance (in) or backward (out). */
    public enum FanMode { FAN_IN, FAN_OUT }

    /** [fan_in, fan_out] of a weight tensor. */
    public static int[] fans(Tensor t) {
        int[] s = t.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("fan in/out: expected a tensor with at least 2 dimensions, got "
                    + Arrays.toString(s));
        }
        int receptive = 1;
        for (int i = 2; i < s.length; i++) {
            receptive *= s[i];
        }
        return new int[] {s[1] * receptive, s[0] * receptive};
    }

    /**
     * The recommended gain for a nonlinearity (PyTorch's calculate_gain): linear/sigmoid 1,
     * tanh 5/3, relu √2, leaky_relu √(2/(1 + slope²)), selu 3/4.
     */
    public static double gain(String nonlinearity, double param) {
        return switch (nonlinearity) {
            case "linear", "identity", "sigmoid", "conv" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> Math.sqrt(2.0 / (1 + param * param));
            case "selu" -> 0.75;
            default -> throw new IllegalArgumentException("gain: unknown nonlinearity '" + nonlinearity
                    + "'; expected linear, sigmoid, tanh, relu, leaky_relu or selu");
        };
    }

    public static Tensor uniform(Tensor t, double low, double high, Rng rng) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (low + (high - low) * rng.nextDouble());
        }
        return t;
    }

    public static Tensor normal(Tensor t, double mean, double std, Rng rng) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (mean + std * rng.nextGaussian());
        }
        return t;
    }

    public static Tensor constant(Tensor t, double value) {
        return t.fill((float) value);
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    public static Tensor xavierUniform(Tensor t, double gain, Rng rng) {
        int[] f = fans(t);
        double a = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform(t, -a, a, rng);
    }

    public static Tensor xavierNormal(Tensor t, double gain, Rng rng) {
        int[] f = fans(t);
        return normal(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), rng);
    }

    /** Kaiming uniform; {@code a} is the negative slope used by leaky_relu's gain. */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, String nonlinearity, Rng rng) {
        double bound = gain(nonlinearity, a) * Math.sqrt(3.0 / fan(t, mode));
        return uniform(t, -bound, bound, rng);
    }

    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, String nonlinearity, Rng rng) {
        return normal(t, 0, gain(nonlinearity, a) / Math.sqrt(fan(t, mode)), rng);
    }

    /** LeCun normal, N(0, 1/fan_in) (LeCun et al. 1998): the init SELU's fixed point assumes (Klambauer et al. 2017). */
    public static Tensor lecunNormal(Tensor t, Rng rng) {
        return normal(t, 0, 1 / Math.sqrt(fans(t)[0]), rng);
    }

    /**
     * Orthogonal initialization (Saxe et al. 2014, "Exact solutions to the nonlinear dynamics of
     * learning in deep linear neural networks"), as torch.nn.init.orthogonal_: the weight viewed
     * as [rows, cols] = [size(0), numel/size(0)] becomes gain·Q, Q from the QR decomposition of a
     * standard Gaussian matrix (of its transpose when rows &lt; cols) with the signs of R's diagonal
     * folded in, so Q is uniformly (Haar) distributed.
     * <pre>
     * rows ≥ cols:  WᵀW = gain²·I (orthonormal columns);   rows &lt; cols:  WWᵀ = gain²·I (orthonormal rows)
     * </pre>
     */
    public static Tensor orthogonal(Tensor t, double gain, Rng rng) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("orthogonal init: expected a tensor with at least 2 dimensions, got "
                    + Arrays.toString(t.shape()));
        }
        int rows = t.size(0);
        int cols = t.numel() / rows;
        int m = Math.max(rows, cols);
        int n = Math.min(rows, cols);
        double[] a = new double[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        double[] q = Householder.orthonormalColumns(a, m, n);
        float[] d = t.data();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                d[i * cols + j] = (float) (gain * (rows >= cols ? q[i * n + j] : q[j * n + i]));
            }
        }
        return t;
    }

    /**
     * Looks-linear initialization (Balduzzi et al. 2017, "The Shattered Gradients Problem", §6;
     * Fleuret, "EE-559 Deep Learning, 6. Going deeper") for a weight [out, 2k] that reads a CReLU's output [relu(z), relu(−z)]:
     * W = [W₀, −W₀] with W₀ [out, k] orthogonal (times gain), so that
     * <pre>
     * W·CReLU(z) = W₀·relu(z) − W₀·relu(−z) = W₀·z
     * </pre>
     * and a network of such layers computes a linear map at initialization.
     */
    public static Tensor looksLinear(Tensor t, double gain, Rng rng) {
        if (t.dim() != 2 || t.size(1) % 2 != 0) {
            throw new IllegalArgumentException("looks-linear init: expected a weight [out, 2k] that reads a CReLU's "
                    + "output (an even number of inputs), got " + Arrays.toString(t.shape())
                    + "; put a crelu layer before it");
        }
        int out = t.size(0);
        int k = t.size(1) / 2;
        Tensor w0 = orthogonal(Tensor.zeros(out, k), gain, rng);
        float[] d = t.data();
        float[] h = w0.data();
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < k; j++) {
                d[i * 2 * k + j] = h[i * k + j];
                d[i * 2 * k + k + j] = -h[i * k + j];
            }
        }
        return t;
    }

    private static int fan(Tensor t, FanMode mode) {
        int[] f = fans(t);
        return mode == FanMode.FAN_IN ? f[0] : f[1];
    }
}
