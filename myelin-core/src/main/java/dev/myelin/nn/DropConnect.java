package dev.myelin.nn;

import dev.myelin.options.Check;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fully connected layer whose weights are dropped at random in training, DropConnect (Wan et
 * al. 2013, "Regularization of neural networks using DropConnect"; Fleuret, "EE-559 Deep Learning, 6. Going deeper"): where
 * dropout zeroes whole units (rows or columns of the effective weight matrix), DropConnect
 * zeroes single connections.
 * <pre>
 * training:   y = x·(M ⊙ W)ᵀ / (1 − p) + b,   M_ij ~ Bernoulli(1 − p)
 * evaluation: y = x·Wᵀ + b                    (the expected weights)
 * </pre>
 * {@link Mode#PER_BATCH} draws one mask M per forward pass (per mini-batch);
 * {@link Mode#PER_SAMPLE} draws one per sample, as the paper, at the cost of one masked copy
 * of W per sample (N·out·in numbers kept for the backward pass).
 *
 * <p>Departures from the paper, both deliberate: the kept weights are scaled by 1/(1 − p) in
 * training ("inverted", as {@link Dropout}), so that inference can use the expected weights W
 * directly; the paper trains unscaled and at inference approximates each unit's input by a
 * Gaussian with the masked sum's mean and variance (moment matching) and averages the
 * activation over samples of it. The mean network is the common simplification (as dropout's
 * weight scaling); it ignores the variance term. Only the weights are dropped, not the bias.
 *
 * <p>Shape: input [N, in] (or [..., in] per batch), output [N, out]. Parameters {@code weight}
 * [out, in] and {@code bias} [out] are those of the wrapped {@link Linear} (same state-dict
 * keys and PyTorch's initialization), so a trained DropConnect layer loads into a plain Linear.
 */
public final class DropConnect extends StochasticModule {
    /** Whether a mask is drawn once per forward pass or once per sample. */
    public enum Mode { PER_BATCH, PER_SAMPLE }

    /**
     * The options of a DropConnect layer, the input features aside: {@code out} features
     * (required), {@code bias} (default true), the drop probability {@code p} (default 0.5, in
     * [0, 1)) and the {@code mode} (default per batch).
     */
    public record Options(int out, boolean bias, double p, Mode mode) {
        public Options {
            Check.atLeast("out", out, 1);
            Check.that(p >= 0 && p < 1, "p", "a probability in [0, 1)", p);
        }

        public static Options of(int out) {
            return new Options(out, true, 0.5, Mode.PER_BATCH);
        }
    }

    private final int in;
    private final int out;
    private final float p;
    private final Mode mode;
    private final Tensor weight;
    private final Tensor bias;

    /** Drops the weights of {@code linear} (whose parameters this layer takes over) with probability p. */
    public DropConnect(Linear linear, double p, Mode mode, Rng rng) {
        super(rng);
        this.in = linear.inFeatures();
        this.out = linear.outFeatures();
        this.p = DropoutBase.checkP("DropConnect", p);
        this.mode = mode;
        this.weight = param("weight", linear.weight());
        this.bias = linear.bias() == null ? null : param("bias", linear.bias());
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return bias;
    }

    public float p() {
        return p;
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 1 || x.size(-1) != in || (mode == Mode.PER_SAMPLE && isTraining() && x.dim() != 2)) {
            throw new IllegalArgumentException(this + ": expected input [N, " + in + "], got "
                    + Arrays.toString(x.shape()) + "; check the previous layer's output size");
        }
        if (!isTraining() || p == 0f) {
            return Tensor.linear(x, weight, bias);
        }
        if (mode == Mode.PER_BATCH) {
            return applyMask(x, drawMask());
        }
        List<Tensor> rows = new ArrayList<>(x.size(0));
        for (int i = 0; i < x.size(0); i++) {
            rows.add(applyMask(x.slice(0, i, i + 1), drawMask()));
        }
        return Tensor.concat(rows, 0);
    }

    private Tensor drawMask() {
        return Tensor.bernoulli(rng(), 1.0 - p, out, in);
    }

    /** The functional form with a given 0/1 weight mask {@code keep} [out, in]: x·(keep ⊙ W)ᵀ/(1 − p) + b. */
    public Tensor applyMask(Tensor x, Tensor keep) {
        return Tensor.linear(x, Dropout.applyMask(weight, keep, p), bias);
    }

    @Override
    public String toString() {
        return "DropConnect(" + in + ", " + out + ", bias=" + (bias != null) + ", p=" + p + ", mode="
                + mode.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
