package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * Channel dropout, "SpatialDropout" (Tompson et al. 2015, "Efficient object localization using
 * convolutional networks"; Fleuret, "EE-559 Deep Learning, 6. Going deeper"): neighbouring values of a feature map are strongly
 * correlated, so dropping single values hardly regularizes; instead each channel of each
 * sample is kept with probability 1 − p (scaled by 1/(1 − p)) or zeroed as a whole.
 * <pre>y[n, c, ...] = x[n, c, ...] · m[n, c] / (1 − p),   m[n, c] ~ Bernoulli(1 − p)</pre>
 * Shape: [N, C, H, W] or [N, C, L] (PyTorch's {@code Dropout2d} reads a 3-D input as
 * [N, C, L] too). The identity in evaluation mode. Default p = 0.5 as PyTorch.
 */
public final class Dropout2d extends DropoutBase {
    public Dropout2d(double p, Rng rng) {
        super("Dropout2d", p, rng);
    }

    @Override
    void checkInput(Tensor x) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("Dropout2d: expected input [N, C, H, W] or [N, C, L], got "
                    + Arrays.toString(x.shape()) + "; use Dropout for feature vectors [N, F]");
        }
    }

    @Override
    Tensor drop(Tensor x) {
        return applyMask(x, Tensor.bernoulli(rng(), 1.0 - p(), x.size(0), x.size(1)), p());
    }

    /** The functional form with a given 0/1 channel mask {@code keep} of shape [N, C]. */
    public static Tensor applyMask(Tensor x, Tensor keep, double p) {
        int[] shape = new int[x.dim()];
        Arrays.fill(shape, 1);
        shape[0] = x.size(0);
        shape[1] = x.size(1);
        return Dropout.applyMask(x, keep.reshape(shape), p);
    }
}
