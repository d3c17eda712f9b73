package dev.myelin.optim;

import dev.myelin.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * The total gradient norm is NaN or infinite, so clipping cannot restore a usable step
 * (PyTorch's {@code error_if_nonfinite=True}). The message names the first parameter whose
 * gradient is not finite (by index, or by its state-dict name once known) and says what to do.
 */
public final class NonFiniteGradientException extends RuntimeException {
    private final int parameter;
    private final String shape;
    private final double total;
    private final double normType;

    private NonFiniteGradientException(int parameter, String name, String shape, double total, double normType) {
        super(message(parameter, name, shape, total, normType));
        this.parameter = parameter;
        this.shape = shape;
        this.total = total;
        this.normType = normType;
    }

    /** The index of the first parameter whose gradient has a NaN or infinite element, or -1. */
    public int parameter() {
        return parameter;
    }

    /** The same error naming the parameter, e.g. {@code "3.weight"}. */
    public NonFiniteGradientException withParameterName(String name) {
        return new NonFiniteGradientException(parameter, name, shape, total, normType);
    }

    static NonFiniteGradientException of(List<Tensor> params, double total, double normType) {
        for (int i = 0; i < params.size(); i++) {
            Tensor g = params.get(i).grad();
            if (g != null && !Double.isFinite(GradNorms.norm(g.data(), 2))) {
                return new NonFiniteGradientException(i, null, Arrays.toString(params.get(i).shape()), total, normType);
            }
        }
        return new NonFiniteGradientException(-1, null, null, total, normType);
    }

    private static String message(int parameter, String name, String shape, double total, double normType) {
        String where = parameter < 0 ? "the norm overflowed although every element is finite"
                : (name == null ? "parameter " + parameter : "parameter '" + name + "'") + " (shape " + shape
                        + ") has a NaN or infinite gradient";
        return "the total gradient " + (normType == 2 ? "L2" : normType + "-") + " norm is " + total + ": " + where
                + "; clipping cannot rescue this step. Lower the learning rate, check the input data for NaN, "
                + "or use batch normalization.";
    }
}
