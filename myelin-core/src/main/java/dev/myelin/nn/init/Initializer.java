package dev.myelin.nn.init;

import dev.myelin.options.Check;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.Locale;

/**
 * A weight initialization chosen by name, with its options: each record is one of PyTorch's
 * {@code torch.nn.init} functions and holds that function's arguments, defaults and checks
 * (the formulas and papers are in {@link Init}). A layer option of this type (e.g. a linear
 * layer's {@code init}) fills the weight after the layer is built; biases are never changed.
 * {@link Default} keeps the layer's own (PyTorch's) initialization.
 */
public sealed interface Initializer {
    /** Fills {@code weight} in place, drawing from {@code rng}. */
    void apply(Tensor weight, Rng rng);

    /** The torch.nn.init name, e.g. {@code xavier_normal}: the class name in snake_case. */
    default String initName() {
        return getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the scale follows from the tensor's fans (Xavier, Kaiming, LeCun, orthogonal,
     * looks-linear), which a one-dimensional tensor such as a bias does not have.
     */
    default boolean needsFans() {
        return !(this instanceof Default || this instanceof Uniform || this instanceof Normal
                || this instanceof Constant || this instanceof Zeros || this instanceof Ones);
    }

    /** The layer's own initialization, left as it is (PyTorch's {@code reset_parameters}). */
    Default DEFAULT = new Default();

    /** The nonlinearity whose gain Kaiming initialization uses (PyTorch's {@code calculate_gain}). */
    enum Nonlinearity {
        LEAKY_RELU, RELU, TANH, SIGMOID, LINEAR, SELU;

        /** The recommended gain; {@code param} is leaky_relu's negative slope. */
        public double gain(double param) {
            return Init.gain(name().toLowerCase(Locale.ROOT), param);
        }
    }

    /** The layer's own initialization: nothing changes. */
    record Default() implements Initializer {
        @Override
        public void apply(Tensor weight, Rng rng) {
        }
    }

    /** {@code uniform_(a, b)}: U(a, b); defaults a = 0, b = 1. */
    record Uniform(double a, double b) implements Initializer {
        public Uniform {
            Check.finite("a", a);
            Check.that(b > a, "b", "a number > a (" + a + ")", b);
        }

        public static Uniform defaults() {
            return new Uniform(0, 1);
        }

        @Override
        public void apply(Tensor weight, Rng rng) {
            Init.uniform(weight, a, b, rng);
        }
    }

    /** {@code normal_(mean, std)}: N(mean, std²); defaults mean = 0, std = 1. */
    record Normal(double mean, double std) implements Initializer {
        public Normal {
            Check.finite("mean", mean);
            Check.nonNegative("std", std);
        }

        public static Normal defaults() {
            return new Normal(0, 1);
        }

        @Override
        public void apply(Tensor weight, Rng rng) {
            Init.normal(weight, mean, std, rng);
        }
    }

    /** {@code constant_(val)}: every weight {@code val} (required). */
    record Constant(double val) implements Initializer {
        public Constant {
            Check.finite("val", val);
        }

        public static Constant of(double val) {
            return new Constant(val);
        }

        @Override
        public void apply(Tensor weight, Rng rng) {
            Init.constant(weight, val);
        }
    }

    /** {@code zeros_}. */
    record Zeros() implements Initializer {
        @Override
        public void apply(Tensor weight, Rng rng) {
            Init.zeros(weight);
        }
    }

    /** {@code ones_}. */
    record Ones() implements Initializer {
        @Override
        public void apply(Tensor weight, Rng rng) {
            Init.ones(weight);
        }
    }

    /** {@code xavier_uniform_(gain)} (Glorot &amp; Bengio 2010); default gain 1. */
    record XavierUniform(double gain) implements Initializer {
        public XavierUniform {
            Check.positive("gain", gain);
        }

        public static XavierUniform defaults() {
            return new XavierUniform(1);
        }

        @Override
        public void apply(Tensor weight, Rng rng) {
            Init.xavierUniform(weight, gain, rng);
        }
    }

    /** {@code xavier_normal_(gain)} (Glorot &amp; Bengio 2010); default gain 1. */
    record XavierNormal(double gain) implements Initializer {
        public XavierNormal {
            Check.positive("gain", gain);
        }

        public static XavierNormal defaults() {
            return new XavierNormal(1);
        }

        @Override
        public void apply(Tensor weight, Rng rng) {
            Init.xavierNormal(weight, gain, rng);
        }
    }

    /**
     * {@code kaiming_uniform_(a, mode, nonlinearity)} (He et al. 2015); defaults a = 0, mode
     * fan_in, nonlinearity leaky_relu (PyTorch's).
     */
    record KaimingUniform(double a, Init.FanMode mode, Nonlinearity nonlinearity) implements Initializer {
        public KaimingUniform {
            Check.finite("a", a);
        }

        public static KaimingUniform defaults() {
            return new KaimingUniform(0, Init.FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
        }

        @Override
        public void apply(Tensor weight, Rng rng) {
            Init.kaimingUniform(weight, a, mode, nonlinearity.name().toLowerCase(Locale.ROOT), rng);
        }
    }

    /**
     * {@code kaiming_normal_(a, mode, nonlinearity)} (He et al. 2015); defaults a = 0, mode
     * fan_in, nonlinearity leaky_relu (PyTorch's).
     */
    record KaimingNormal(double a, Init.FanMode mode, Nonlinearity nonlinearity) implements Initializer {
        public KaimingNormal {
            Check.finite("a", a);
        }

        public static KaimingNormal defaults() {
            return new KaimingNormal(0, Init.FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
        }

        @Override
        public void apply(Tensor weight, Rng rng) {
            Init.kaimingNormal(weight, a, mode, nonlinearity.name().toLowerCase(Locale.ROOT), rng);
        }
    }

    /** LeCun normal (LeCun et al. 1998): N(0, 1/fan_in), the init SELU networks need. */
    record LecunNormal() implements Initializer {
        @Override
        public void apply(Tensor weight, Rng rng) {
            Init.lecunNormal(weight, rng);
        }
    }

    /** {@code orthogonal_(gain)} (Saxe et al. 2014); default gain 1. */
    record Orthogonal(double gain) implements Initializer {
        public Orthogonal {
            Check.positive("gain", gain);
        }

        public static Orthogonal defaults() {
            return new Orthogonal(1);
        }

        @Override
        public void apply(Tensor weight, Rng rng) {
            Init.orthogonal(weight, gain, rng);
        }
    }

    /** Looks-linear (Balduzzi et al. 2017): [W₀, −W₀], W₀ orthogonal with {@code gain}; for a layer after a CReLU. */
    record LooksLinear(double gain) implements Initializer {
        public LooksLinear {
            Check.positive("gain", gain);
        }

        public static LooksLinear defaults() {
            return new LooksLinear(1);
        }

        @Override
        public void apply(Tensor weight, Rng rng) {
            Init.looksLinear(weight, gain, rng);
        }
    }
}
