package dev.myelin.nn;

import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * Parametric ReLU with a learned negative slope (He et al. 2015, "Delving Deep into
 * Rectifiers"), PyTorch's {@code nn.PReLU}:
 * <pre>
 * PReLU(x) = x           for x &gt; 0
 *            a_c · x     otherwise        (a_c the slope of x's channel c)
 * </pre>
 * {@code numParameters} is 1 (one slope shared by every feature) or C, the size of input
 * dimension 1 (one slope per feature/channel). Defaults: 1 slope, initialized to 0.25.
 * State-dict key: {@code weight}, shape [numParameters]. As PyTorch's, the gradient with respect
 * to x at 0 is the slope.
 *
 * <p>Shape: input [N, C, ...] (or any shape when numParameters is 1), output the same.
 */
public final class PRelu extends Module {
    private final int numParameters;
    private final Tensor weight;

    /** PyTorch's {@code nn.PReLU} options: one slope or one per channel, starting at {@code init} (1 and 0.25). */
    public record Options(int numParameters, double init) {
        public Options {
            dev.myelin.options.Check.atLeast("num_parameters", numParameters, 1);
        }

        public static Options defaults() {
            return new Options(1, 0.25);
        }
    }

    public PRelu(Options o) {
        this(o.numParameters(), o.init());
    }

    public PRelu(int numParameters, double init) {
        if (numParameters < 1) {
            throw new IllegalArgumentException("PReLU: expected num_parameters >= 1, got " + numParameters);
        }
        this.numParameters = numParameters;
        this.weight = param("weight", Tensor.full((float) init, numParameters));
    }

    /** PyTorch's defaults: one slope, 0.25. */
    public PRelu() {
        this(1, 0.25);
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor slope = weight;
        if (numParameters > 1) {
            if (x.dim() < 2 || x.size(1) != numParameters) {
                throw new IllegalArgumentException("PReLU(num_parameters=" + numParameters + "): expected input [N, "
                        + numParameters + ", ...] (one slope per feature of dimension 1), got " + Arrays.toString(x.shape())
                        + "; set num_parameters to 1 or to the number of features");
            }
            int[] shape = new int[x.dim() - 1];
            Arrays.fill(shape, 1);
            shape[0] = numParameters;
            slope = weight.reshape(shape);
        }
        return Tensor.where(x.gt(0f), x, x.mul(slope));
    }

    @Override
    public String toString() {
        return "PReLU(num_parameters=" + numParameters + ")";
    }
}
