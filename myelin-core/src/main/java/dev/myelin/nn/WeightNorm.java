package dev.myelin.nn;

import dev.myelin.tensor.Tensor;

/**
 * Weight normalization (Salimans &amp; Kingma 2016; Sun, "Training DNNs: Tricks", "decompose the
 * weight as magnitude and direction"): wraps a module and reparameterizes one of its weights
 * as a magnitude g and a direction v, trained instead of the weight:
 * <pre>
 * w = g · v / ‖v‖,   ‖v‖ over every dimension except {@code dim} (per output unit for dim 0)
 * ∂L/∂g = ∂L/∂w · v/‖v‖ (summed over the normalized dimensions),
 * ∂L/∂v = (g/‖v‖)·(∂L/∂w − (∂L/∂w · v/‖v‖)·v/‖v‖)
 * </pre>
 * (the gradients follow from the composite formula by autograd). Initially g = ‖w‖ and v = w,
 * so the wrapped module computes what it computed before.
 *
 * <p>State-dict keys as {@code torch.nn.utils.weight_norm} (torch 1.13) leaves them: the
 * wrapper is transparent, so a wrapped Linear at position 0 of a Sequential has
 * {@code 0.bias}, {@code 0.weight_g} [out, 1] and {@code 0.weight_v} [out, in], in that order
 * (the weight is removed; g and v come after the module's other parameters). Default dim 0, as
 * PyTorch's. Departure: PyTorch's dim=None (one norm over the whole tensor) is not offered.
 */
public final class WeightNorm extends Module {
    private final Module module;
    private final String name;
    private final int dim;
    private final Tensor g;
    private final Tensor v;

    public WeightNorm(Module module, String name, int dim) {
        Tensor w = module.ownParameters().get(name);
        if (w != null && (dim < -w.dim() || dim >= w.dim())) {
            throw new IllegalArgumentException("WeightNorm(" + module + "): expected dim in [" + -w.dim() + ", "
                    + (w.dim() - 1) + "] for the " + w.dim() + "-d parameter '" + name + "', got " + dim);
        }
        Tensor weight = module.reparameterize(name, this::weight);
        this.module = module;
        this.name = name;
        this.dim = dim < 0 ? dim + weight.dim() : dim;
        module.ownParameters().forEach(this::param);
        this.g = param(name + "_g", norm(weight.detach()).copy());
        this.v = param(name + "_v", weight.detach().copy());
        module.ownBuffers().forEach(this::buffer);
        module.children().forEach(this::child);
        train(module.isTraining());
    }

    /** Normalizes {@code module}'s parameter "weight" over every dimension but 0, as PyTorch's default. */
    public WeightNorm(Module module) {
        this(module, "weight", 0);
    }

    /** w = g·v/‖v‖, computed with differentiable ops at each use. */
    private Tensor weight() {
        return g.mul(v.div(norm(v)));
    }

    /** ‖t‖ over every dimension except {@code dim}, kept as size-1 dimensions. */
    private Tensor norm(Tensor t) {
        int[] axes = new int[t.dim() - 1];
        for (int i = 0, j = 0; i < t.dim(); i++) {
            if (i != dim) {
                axes[j++] = i;
            }
        }
        return axes.length == 0 ? t.abs() : t.square().sum(axes, true).sqrt();
    }

    @Override
    public Tensor forward(Tensor x) {
        return module.forward(x);
    }

    /** Sets the mode here and in the wrapped module (which is not a child, so keys keep no prefix). */
    @Override
    public Module train(boolean on) {
        super.train(on);
        module.train(on);
        return this;
    }

    /** The wrapped module; its parameter {@code name} now reads g·v/‖v‖. */
    public Module module() {
        return module;
    }

    /** The magnitude g, shaped like the weight with size 1 in every normalized dimension. */
    public Tensor g() {
        return g;
    }

    /** The direction v, shaped like the weight. */
    public Tensor v() {
        return v;
    }

    @Override
    public String toString() {
        return "WeightNorm(" + module + ", name=" + name + ", dim=" + dim + ")";
    }
}
