package dev.myelin.nn;

import dev.myelin.tensor.Tensor;

/** Flattens dimensions from {@code startDim} (default 1) on: [N, C, H, W] becomes [N, C·H·W]. */
public final class Flatten extends Module {
    private final int startDim;

    public Flatten(int startDim) {
        this.startDim = startDim;
    }

    public Flatten() {
        this(1);
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.dim() <= startDim + 1 ? x : x.flatten(startDim);
    }

    @Override
    public String toString() {
        return "Flatten(start_dim=" + startDim + ")";
    }
}
