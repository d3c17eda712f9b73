package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;

/**
 * A highway layer (Srivastava, Greff &amp; Schmidhuber 2015, "Highway Networks",
 * arXiv:1505.00387; Fleuret, "EE-559 Deep Learning, 6. Going deeper"): a learned gate T chooses, per unit, between the
 * transform H and carrying the input through unchanged:
 * <pre>
 * T(x) = σ(W_T·x + b_T)
 * y    = T(x) ⊙ H(x) + (1 − T(x)) ⊙ x
 * </pre>
 * The gate bias b_T starts negative (the paper uses −1 to −3) so the layer starts close to
 * carrying its input, which lets very deep stacks train. H is {@code Linear + activation} by
 * default, or any module that keeps the width.
 *
 * <p>Shape: {@code [N, features]} in and out. State-dict keys: {@code transform.*} (H) and
 * {@code gate.weight}, {@code gate.bias} (T). Default gate bias −2. The gate weight is
 * initialized as PyTorch's Linear.
 */
public final class Highway extends Module {
    /** The default gate bias b_T. */
    public static final double DEFAULT_GATE_BIAS = -2.0;

    /** The transform's activation and the gate bias b_T; defaults relu and −2 (Srivastava et al.'s advice). */
    public record Options(Kind activation, double gateBias) {
        /** The activations H may use. */
        public enum Kind { RELU, TANH, SIGMOID }

        public Options {
            dev.myelin.options.Check.present("activation", activation, "relu, tanh or sigmoid");
        }

        public static Options defaults() {
            return new Options(Kind.RELU, DEFAULT_GATE_BIAS);
        }

        /** The activation module of {@link #activation()}. */
        public Activation module() {
            return switch (activation) {
                case RELU -> Activation.relu();
                case TANH -> Activation.tanh();
                case SIGMOID -> Activation.sigmoid();
            };
        }
    }

    public Highway(int features, Options o, Rng rng) {
        this(features, o.module(), o.gateBias(), rng);
    }

    private final int features;
    private final Module transform;
    private final Linear gate;

    /**
     * @param transform H: maps {@code [N, features]} to {@code [N, features]}
     * @param gateBias  the initial value of every gate bias, e.g. −2
     */
    public Highway(int features, Module transform, double gateBias, Rng rng) {
        if (features < 1) {
            throw new IllegalArgumentException("Highway: expected features >= 1, received " + features);
        }
        this.features = features;
        this.transform = child("transform", transform);
        this.gate = child("gate", new Linear(features, features, true, rng.split("gate")));
        gate.bias().fill((float) gateBias);
    }

    /** H(x) = activation(W_H·x + b_H). */
    public Highway(int features, Activation activation, double gateBias, Rng rng) {
        this(features, new Sequential(new Linear(features, features, true, rng.split("transform")), activation),
                gateBias, rng);
    }

    /** H(x) = relu(W_H·x + b_H), gate bias −2. */
    public Highway(int features, Rng rng) {
        this(features, Activation.relu(), DEFAULT_GATE_BIAS, rng);
    }

    public int features() {
        return features;
    }

    /** The gate's linear map (W_T, b_T). */
    public Linear gate() {
        return gate;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 2 || x.size(1) != features) {
            throw new IllegalArgumentException("Highway(" + features + "): expected input [N, " + features
                    + "], received " + java.util.Arrays.toString(x.shape()) + "; a highway layer keeps the width,"
                    + " so put a Linear to " + features + " features before it");
        }
        Tensor t = gate.forward(x).sigmoid();
        Tensor h = transform.forward(x);
        return x.add(t.mul(h.sub(x))); // T·H + (1 − T)·x, one multiply fewer
    }

    @Override
    public String toString() {
        return "Highway(" + features + ", transform=" + transform.toString().replace("\n", "\n  ") + ")";
    }
}
