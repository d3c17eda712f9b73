package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;

/**
 * What the dropout layers share: a drop probability p in [0, 1) (PyTorch's range), their own
 * random stream for the masks (replaceable, {@link Stochastic}, for Monte Carlo dropout), and
 * the identity in evaluation mode or at p = 0.
 */
abstract class DropoutBase extends StochasticModule {

    private final String name;
    private final float p;

    DropoutBase(String name, double p, Rng rng) {
        super(rng);
        this.name = name;
        this.p = checkP(name, p);
    }

    /** Validates a drop probability for {@code layer}: p in [0, 1), as PyTorch. */
    static float checkP(String layer, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new dev.myelin.options.OptionException(layer, "p", "a drop probability in [0, 1)", Double.toString(p));
        }
        return (float) p;
    }

    public float p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        return !isTraining() || p == 0f ? x : drop(x);
    }

    /** Rejects an input of the wrong shape (in both modes); none by default. */
    void checkInput(Tensor x) {
    }

    /** The training-mode output: draws a mask and applies it. */
    abstract Tensor drop(Tensor x);

    @Override
    public String toString() {
        return name + "(p=" + p + ")";
    }
}
