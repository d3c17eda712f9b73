package dev.myelin.cli.layers;

import dev.myelin.cli.yaml.ConfigException;
import dev.myelin.cli.yaml.Source;
import dev.myelin.tensor.Rng;
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
    private int[] shape;

    public LayerContext(Source source, int index, String name, int[] shape, Rng rng) {
        this.source = source;
        this.index = index;
        this.name = name;
        this.shape = shape.clone();
        this.rng = rng;
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
