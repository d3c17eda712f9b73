package dev.myelin.model;

import dev.myelin.model.bind.ConfigException;
import dev.myelin.model.bind.Source;
import dev.myelin.nn.Module;
import dev.myelin.nn.init.Initializer;
import dev.myelin.tensor.GradMode;
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
    private final Initializer defaultInit;
    private final String previous;
    private int[] shape;

    public LayerContext(Source source, int index, String name, int[] shape, Rng rng) {
        this(source, index, name, shape, rng, Initializer.DEFAULT, null);
    }

    /**
     * @param defaultInit the model's init for layers that name none
     * @param previous    the name of the layer before (e.g. {@code crelu}), or null for the first
     */
    public LayerContext(Source source, int index, String name, int[] shape, Rng rng, Initializer defaultInit,
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
     * The initialization of a weighted layer (linear, maxout, dropconnect): its own {@code init}
     * option, else the model's. Looks-linear weights mirror a CReLU's two halves, so they need a
     * crelu layer right before: a layer that asks for them elsewhere is an error; the model-wide
     * looks_linear gives such layers (the first one) orthogonal weights instead.
     */
    public Initializer init(Initializer own) {
        Initializer spec = own != null ? own : defaultInit;
        if (spec instanceof Initializer.LooksLinear l && !"crelu".equals(previous)) {
            if (own != null) {
                throw source.error(at() + ".init", "a crelu layer right before a looks_linear layer (its weight is "
                        + "[W0, -W0] over CReLU's two halves)", previous == null ? "the first layer" : "layer '"
                        + previous + "' before it", "Put `- crelu` before model[" + index + "] or choose another init");
            }
            return new Initializer.Orthogonal(l.gain());
        }
        return spec;
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

    /** The features of a flat sample {@code [F]} (the input of linear and friends), else an error saying what to add. */
    public int features() {
        requireFlat();
        return shape[0];
    }

    /** The channels of an image sample {@code [C, H, W]}, else an error. */
    public int imageChannels() {
        return InputShapes.requireImage(this)[0];
    }

    /** The channels (first axis) of a sample {@code [C, ...]}. */
    public int channels() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /**
     * Sets the output shape from the layer itself: one sample of zeros through {@code m} in
     * evaluation mode without gradients (no random stream is drawn from in eval mode). A shape the
     * layer refuses is an error at this layer, with the layer's own words.
     */
    public Module infer(Module m) {
        int[] batch = new int[shape.length + 1];
        batch[0] = 1;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        boolean training = m.isTraining();
        m.eval();
        try (var ignored = GradMode.noGrad()) {
            int[] out = m.forward(Tensor.zeros(batch)).shape();
            shape = Arrays.copyOfRange(out, 1, out.length);
        } catch (IllegalArgumentException e) {
            throw error("a sample this layer accepts (" + e.getMessage() + ")", "Change the layer's options or the"
                    + " layers before it");
        } finally {
            m.train(training);
        }
        return m;
    }

    /** Requires flat samples {@code [F]}: the input of Linear and friends. */
    public void requireFlat() {
        if (shape.length != 1) {
            throw error("flat input features (a sample of shape [F])", index == 0
                    ? "Add `- flatten` as the first layer" : "Add `- flatten` before model[" + index + "]");
        }
    }
}
