package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import java.util.List;

/**
 * The basic residual block of He et al. 2015 (arXiv:1512.03385, Fig. 2 and 5 left; torchvision's
 * {@code BasicBlock}): 3×3 conv (stride s) → BN → ReLU → 3×3 conv → BN, plus the shortcut, then
 * ReLU; in pre-activation order (He et al. 2016) BN → ReLU → 3×3 conv, twice, plus the shortcut.
 * See {@link ResidualBlock} for the formulas, options and state-dict keys. Shape: [N, in, H, W]
 * to [N, planes, ⌈H/s⌉, ⌈W/s⌉]; expansion 1.
 */
public final class BasicBlock extends ResidualBlock {
    public static final int EXPANSION = 1;

    public BasicBlock(int in, int planes, int stride, Shortcut shortcut, boolean preact, double survival, Rng rng) {
        super(List.of(conv(in, planes, 3, stride, rng.split("conv1")), conv(planes, planes, 3, 1, rng.split("conv2"))),
                shortcut, preact, survival, rng);
    }

    /** Post-activation, projection shortcut where needed, no stochastic depth (torchvision's block). */
    public BasicBlock(int in, int planes, int stride, Rng rng) {
        this(in, planes, stride, Shortcut.PROJECTION, false, 1.0, rng);
    }
}
