package dev.myelin.cli.layers;

import dev.myelin.cli.yaml.ConfigException;
import dev.myelin.cli.yaml.Source;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * What a {@link LayerSpec} sees while the model is built: where it is in the config (for
 * errors), the shape of one sample arriving at it (without the batch dimension), and its own
 * random stream.
 */
public final class LayerContext {
    private final Source source;
    private final int index;
    private final String name;
    private final Rng rng;
    private final InitSpec defaultInit;
    private final String previous;
    private int[] shape;

    public LayerContext(Source source, int index, String name, int[] shape, Rng rng) {
        this(source, index, name, shape, rng, InitSpec.DEFAULT, null);
    }

    /**
     * @param defaultInit the model's init for layers that name none
     * @param previous    the name of the layer before (e.g. {@code crelu}), or null for the first
     */
    public LayerContext(Source source, int index, String name, int[] shape, Rng rng, InitSpec defaultInit,
                        String previous) {
        this.source = source;
        this.index = index;
        this.name = name;
        this.shape = shape.clone();
        this.rng = rng;
        this.defaultInit = defaultInit;
        this.previous = previous;
    }

    /**
     * Initializes a layer's {@code weight} with the layer's own {@code init} option, else the
     * model's (from the stream {@code rng().split("init")}). Looks-linear weights mirror a
     * CReLU's two halves, so they need a crelu layer right before: a layer that asks for them
     * elsewhere is an error; the model-wide looks_linear gives such layers (the first one)
     * orthogonal weights instead.
     */
    public void initWeight(InitSpec own, Tensor weight) {
        InitSpec spec = own != null ? own : defaultInit;
        if (spec.name().equals("looks_linear") && !"crelu".equals(previous)) {
            if (own != null) {
                throw source.error(at() + ".init", "a crelu layer right before a looks_linear layer (its weight is "
                        + "[W0, -W0] over CReLU's two halves)", previous == null ? "the first layer" : "layer '"
                        + previous + "' before it", "Put `- crelu` before model[" + index + "] or choose another init");
            }
            spec = new InitSpec("orthogonal", spec.options());
        }
        spec.apply(weight, rng.split("init"));
    }

    /** The layer's position in the model list. */
    public int index() {
        return index;
    }

    /** The config path of this layer, e.g. {@code model[2].linear}. */
    public String at() {
        return "model[" + index + "]." + name;
    }

    /** The shape of one input sample, e.g. {@code [1, 28, 28]} or {@code [256]}. */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of values in one input sample. */
    public int size() {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    /** Sets the shape of one output sample. */
    public void shape(int... out) {
        shape = out.clone();
    }

    /** The layer's own random stream (initialization, dropout masks). */
    public Rng rng() {
        return rng;
    }

    public Source source() {
        return source;
    }

    /** An error at this layer: what it expected, and the sample shape it got. */
    public ConfigException error(String expected, String fix) {
        return source.error(at(), expected, "a sample of shape " + Arrays.toString(shape), fix);
    }

    /** An error at the option {@code key} of this layer. */
    public ConfigException error(String key, String expected, String found, String fix) {
        return source.error(at() + "." + key, expected, found, fix);
    }

    /** Requires flat samples {@code [F]}: the input of Linear and friends. */
    public void requireFlat() {
        if (shape.length != 1) {
            throw error("flat input features (a sample of shape [F])", index == 0
                    ? "Add `- flatten` as the first layer" : "Add `- flatten` before model[" + index + "]");
        }
    }
}
