package dev.myelin.nn;

import dev.myelin.tensor.Tensor;
import java.util.function.UnaryOperator;

/**
 * Element-wise activation layers (no parameters). Each is a one-line {@link Module} over the
 * tensor op of the same name; see {@link Tensor} for the formulas and their derivatives.
 */
public class Activation extends Module {
    private final String name;
    private final UnaryOperator<Tensor> f;

    protected Activation(String name, UnaryOperator<Tensor> f) {
        this.name = name;
        this.f = f;
    }

    @Override
    public Tensor forward(Tensor x) {
        return f.apply(x);
    }

    @Override
    public String toString() {
        return name;
    }

    /** ReLU(x) = max(0, x) (Nair &amp; Hinton 2010). */
    public static Activation relu() {
        return new Activation("ReLU()", Tensor::relu);
    }

    /** σ(x) = 1/(1 + e^−x). */
    public static Activation sigmoid() {
        return new Activation("Sigmoid()", Tensor::sigmoid);
    }

    /** tanh(x). */
    public static Activation tanh() {
        return new Activation("Tanh()", Tensor::tanh);
    }

    /** softplus(x) = log(1 + e^(βx))/β, linear above the threshold (PyTorch: β = 1, threshold = 20). */
    public static Activation softplus(double beta, double threshold) {
        return new Activation("Softplus(beta=" + beta + ", threshold=" + threshold + ")",
                x -> x.softplus((float) beta, (float) threshold));
    }

    /**
     * softmax(x/T) along {@code dim}: the temperature T &gt; 1 flattens the distribution, T &lt; 1
     * sharpens it (Hinton et al. 2015); T = 1 is PyTorch's Softmax.
     */
    public static Activation softmax(int dim, double temperature) {
        checkTemperature(temperature);
        return new Activation("Softmax(dim=" + dim + ", temperature=" + temperature + ")",
                x -> (temperature == 1 ? x : x.mul((float) (1 / temperature))).softmax(dim));
    }

    /** log softmax(x/T) along {@code dim}. */
    public static Activation logSoftmax(int dim, double temperature) {
        checkTemperature(temperature);
        return new Activation("LogSoftmax(dim=" + dim + ", temperature=" + temperature + ")",
                x -> (temperature == 1 ? x : x.mul((float) (1 / temperature))).logSoftmax(dim));
    }

    private static void checkTemperature(double t) {
        if (!(t > 0)) {
            throw new IllegalArgumentException("softmax temperature: expected > 0, got " + t);
        }
    }
}
