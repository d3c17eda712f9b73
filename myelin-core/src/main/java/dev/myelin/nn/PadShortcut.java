package dev.myelin.nn;

import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameter-free shortcut of He et al. 2015 (option A, arXiv:1512.03385 §3.3;
 * Fleuret, "EE-559 Deep Learning, 6. Going deeper": "the identity pass-through extracts 1/4 of the activations over a regular
 * grid (i.e. with a stride of 2)" and the channels are padded "with C' − C zeros"):
 * <pre>
 * y[n, c, i, j] = x[n, c, s·i, s·j]   for c &lt; C,      y[n, c, i, j] = 0   for C ≤ c &lt; C'
 * </pre>
 * Shape: [N, C, H, W] to [N, C + extra, ⌈H/s⌉, ⌈W/s⌉], the output size of the block's 3×3,
 * padding 1, stride s convolution. No parameters, no state-dict keys. The zero channels are
 * appended after the input's (the lecture's wording); the common CIFAR code pads both sides.
 */
public final class PadShortcut extends Module {
    private final int extraChannels;
    private final int stride;

    public PadShortcut(int extraChannels, int stride) {
        if (extraChannels < 0 || stride < 1) {
            throw new IllegalArgumentException("PadShortcut: expected extra channels >= 0 and stride >= 1, got "
                    + extraChannels + " and " + stride);
        }
        this.extraChannels = extraChannels;
        this.stride = stride;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException(this + ": expected input [N, C, H, W], got " + java.util.Arrays.toString(x.shape()));
        }
        Tensor h = stride == 1 ? x : x.indexSelect(2, grid(x.size(2))).indexSelect(3, grid(x.size(3)));
        if (extraChannels == 0) {
            return h;
        }
        Tensor zeros = Tensor.zeros(h.size(0), extraChannels, h.size(2), h.size(3));
        return Tensor.concat(List.of(h, zeros), 1);
    }

    /** 0, s, 2s, ... below n. */
    private int[] grid(int n) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i += stride) {
            idx.add(i);
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return "PadShortcut(extra_channels=" + extraChannels + ", stride=" + stride + ")";
    }
}
