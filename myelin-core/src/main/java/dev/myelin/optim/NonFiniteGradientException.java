package dev.myelin.optim;

import dev.myelin.tensor.Tensor;
import java.util.List;

/**
 * The total gradient norm is NaN or infinite, so clipping cannot restore a usable step
 * (PyTorch's {@code error_if_nonfinite=True}). The message names the first parameter whose
 * gradient is not finite and says what to do.
 */
public final class NonFiniteGradientException extends RuntimeException {
    private final int parameter;

    private NonFiniteGradientException(String message, int parameter) {
        super(message);
        this.parameter = parameter;
    }

    /** The index of the first parameter whose gradient has a NaN or infinite element, or -1. */
    public int parameter() {
        return parameter;
    }

    static NonFiniteGradientException of(List<Tensor> params, double total, double p) {
        int bad = -1;
        for (int i = 0; i < params.size() && bad < 0; i++) {
            Tensor g = params.get(i).grad();
            if (g != null && !Double.isFinite(GradNorms.norm(g.data(), 2))) {
                bad = i;
            }
        }
        String where = bad < 0 ? "the norm overflowed although every element is finite"
                : "parameter " + bad + " (shape " + java.util.Arrays.toString(params.get(bad).shape())
                        + ") has a NaN or infinite gradient";
        return new NonFiniteGradientException("the total gradient " + p + "-norm is " + total + ": " + where
                + "; clipping cannot rescue this step. Lower the learning rate, check the input data for NaN, "
                + "or use batch normalization.", bad);
    }
}
