package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import java.util.List;

/**
 * The bottleneck residual block of He et al. 2015 (arXiv:1512.03385, Fig. 5 right; torchvision's
 * {@code Bottleneck}, "ResNet v1.5": the stride sits on the 3×3 convolution): 1×1 conv (in →
 * planes) → BN → ReLU → 3×3 conv (stride s) → BN → ReLU → 1×1 conv (planes → 4·planes) → BN,
 * plus the shortcut, then ReLU; pre-activation order as in {@link ResidualBlock}. Shape:
 * [N, in, H, W] to [N, 4·planes, ⌈H/s⌉, ⌈W/s⌉]; expansion 4.
 */
public final class Bottleneck extends ResidualBlock {
    public static final int EXPANSION = 4;

    public Bottleneck(int in, int planes, int stride, Shortcut shortcut, boolean preact, double survival, Rng rng) {
        super(List.of(conv(in, planes, 1, 1, rng.split("conv1")), conv(planes, planes, 3, stride, rng.split("conv2")),
                conv(planes, planes * EXPANSION, 1, 1, rng.split("conv3"))), shortcut, preact, survival, rng);
    }

    /** Post-activation, projection shortcut where needed, no stochastic depth (torchvision's block). */
    public Bottleneck(int in, int planes, int stride, Rng rng) {
        this(in, planes, stride, Shortcut.PROJECTION, false, 1.0, rng);
    }
}
