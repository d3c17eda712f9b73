package dev.myelin.nn;

import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * An identity shortcut around any shape-preserving module: y = x + F(x) (He et al. 2015, "Deep
 * Residual Learning for Image Recognition"; Fleuret, "EE-559 Deep Learning, 6. Going deeper",
 * "Residual networks"), for residual MLPs and other blocks that {@link ResidualBlock}'s
 * convolutions do not cover. Deleting it from a trained network leaves the identity, which is
 * how Veit et al. (2016, "Residual networks behave like ensembles of relatively shallow
 * networks") probe a resnet. The branch is the child {@code branch} (state-dict keys
 * {@code branch.*}).
 */
public final class Residual extends Module {
    private final Module branch;

    public Residual(Module branch) {
        this.branch = child("branch", branch);
    }

    /** F. */
    public Module branch() {
        return branch;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor f = branch.forward(x);
        if (!Arrays.equals(f.shape(), x.shape())) {
            throw new IllegalArgumentException("Residual: the branch must keep the input's shape " + Arrays.toString(
                    x.shape()) + ", got " + Arrays.toString(f.shape()));
        }
        return x.add(f);
    }

    @Override
    public String toString() {
        return "Residual(" + branch + ")";
    }
}
