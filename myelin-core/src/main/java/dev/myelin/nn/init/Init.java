package dev.myelin.nn.init;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * Weight initializers, as PyTorch's {@code torch.nn.init} (going-deeper.md,
 * deep-feedforward-networks.md). Each fills the tensor in place and returns it.
 * <pre>
 * Xavier/Glorot (Glorot &amp; Bengio 2010): U(−a, a), a = gain·√(6/(fan_in + fan_out));  N(0, gain²·2/(fan_in + fan_out))
 * Kaiming/He (He et al. 2015):           U(−b, b), b = gain·√(3/fan);                  N(0, gain²/fan)
 * </pre>
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

    private static int fan(Tensor t, FanMode mode) {
        int[] f = fans(t);
        return mode == FanMode.FAN_IN ? f[0] : f[1];
    }
}
