package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014; training-dnns-tricks.md): in training each element
 * is kept with probability 1 − p and scaled by 1/(1 − p), so the expected output equals the
 * input and evaluation needs no rescaling; in evaluation it is the identity.
 * <pre>y = x ⊙ m / (1 − p),   m_i ~ Bernoulli(1 − p)</pre>
 * Shape: any. Default p = 0.5 as PyTorch.
 */
public final class Dropout extends Module implements Stochastic {
    private final float p;
    private Rng rng;

    public Dropout(double p, Rng rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: expected p in [0, 1), got " + p);
        }
        this.p = (float) p;
        this.rng = rng;
    }

    public float p() {
        return p;
    }

    @Override
    public Rng rng() {
        return rng;
    }

    @Override
    public void setRng(Rng rng) {
        this.rng = java.util.Objects.requireNonNull(rng, "rng");
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0f) {
            return x;
        }
        float scale = 1f / (1f - p);
        float[] m = new float[x.numel()];
        double keep = 1.0 - p;
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextDouble() < keep ? scale : 0f;
        }
        return x.mul(Tensor.of(m, x.shape()));
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
