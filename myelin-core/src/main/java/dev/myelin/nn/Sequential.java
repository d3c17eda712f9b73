package dev.myelin.nn;

import dev.myelin.tensor.Tensor;
import java.util.List;

/** Applies its children in order; they are named "0", "1", ... as in PyTorch. */
public final class Sequential extends Module {
    private final List<Module> layers;

    public Sequential(List<Module> layers) {
        this.layers = List.copyOf(layers);
        for (int i = 0; i < this.layers.size(); i++) {
            child(Integer.toString(i), this.layers.get(i));
        }
    }

    public Sequential(Module... layers) {
        this(List.of(layers));
    }

    /** The layers in order. */
    public List<Module> layers() {
        return layers;
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /** Called after each layer of {@link #forward(Tensor, ForwardHook)} with its index and output. */
    @FunctionalInterface
    public interface ForwardHook {
        void afterLayer(int index, Module layer, Tensor output);
    }

    /**
     * The forward pass, calling {@code hook} (when not null) with every layer's output, as
     * PyTorch's forward hooks: to record activation statistics or keep the outputs for
     * gradients with respect to them ({@code Autograd.grad}).
     */
    public Tensor forward(Tensor x, ForwardHook hook) {
        Tensor h = x;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h);
            if (hook != null) {
                hook.afterLayer(i, layers.get(i), h);
            }
        }
        return h;
    }
}
