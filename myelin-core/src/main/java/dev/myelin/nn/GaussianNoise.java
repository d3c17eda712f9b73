package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;

/**
 * Additive Gaussian noise on the input in training, noise injection for robustness
 * ("Deep Feedforward Networks" (Strojové učení II), "Noise in Inputs"; Goodfellow et al. 2016, Deep Learning
 * §7.5; Bishop 1995 showed it is equivalent to Tikhonov regularization for small noise):
 * <pre>y = x + ε,   ε ~ N(0, std²)   (training);    y = x   (evaluation)</pre>
 * Shape: any. PyTorch has no such layer; this is Keras's {@code GaussianNoise(stddev)}. The
 * noise is a constant of the graph, so dy/dx = 1.
 */
public final class GaussianNoise extends StochasticModule {
    private final float std;

    /** The noise's standard deviation (no default: it sets the regularization's strength). */
    public record Options(double std) {
        public Options {
            dev.myelin.options.Check.nonNegative("std", std);
        }

        public static Options of(double std) {
            return new Options(std);
        }
    }

    public GaussianNoise(double std, Rng rng) {
        super(rng);
        if (!(std >= 0 && Double.isFinite(std))) {
            throw new IllegalArgumentException("GaussianNoise: expected a standard deviation std >= 0, got " + std);
        }
        this.std = (float) std;
    }

    public float std() {
        return std;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || std == 0f) {
            return x;
        }
        return x.add(Tensor.normal(rng(), 0f, std, x.shape()));
    }

    @Override
    public String toString() {
        return "GaussianNoise(std=" + std + ")";
    }
}
