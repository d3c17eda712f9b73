package dev.myelin.nn;

/**
 * How a residual block's shortcut changes the shape when the block changes the number of
 * channels or the map size (He et al. 2015, "Deep Residual Learning for Image Recognition",
 * arXiv:1512.03385, §3.3; Fleuret, "EE-559 Deep Learning, 6. Going deeper", "Residual networks"). A block that keeps the shape
 * always uses the identity.
 */
public enum Shortcut {
    /** Option B: a 1×1 convolution with the block's stride, then batch norm (torchvision's {@code downsample}). */
    PROJECTION,
    /** Option A, parameter-free: stride-s subsampling, then C' − C zero channels appended ({@link PadShortcut}). */
    PAD
}
