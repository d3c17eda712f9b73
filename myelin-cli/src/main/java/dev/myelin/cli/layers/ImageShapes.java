package dev.myelin.cli.layers;

/** Checks shared by the layers that take images [C, H, W]. */
final class ImageShapes {
    private ImageShapes() {
    }

    /** The sample shape [C, H, W], or an error saying the layer needs an image. */
    static int[] requireImage(LayerContext ctx) {
        int[] s = ctx.shape();
        if (s.length != 3) {
            throw ctx.error("an image sample [C, H, W]", s.length == 1
                    ? "Convolution and pooling layers take images: move `- flatten` after them (before the first linear)"
                    : "Use a data set of images (fashion-mnist, mnist, cifar10)");
        }
        return s;
    }

    /** Fails naming {@code key} when a window of effH x effW does not fit the padded input. */
    static void requireFits(LayerContext ctx, String key, String what, int effH, int effW, Pair padding, int[] s) {
        int ph = s[1] + 2 * padding.h();
        int pw = s[2] + 2 * padding.w();
        if (effH > ph || effW > pw) {
            throw ctx.error(key, "a window no larger than the padded input " + ph + "x" + pw + " (the sample is "
                    + s[1] + "x" + s[2] + " with padding " + padding + ")", what,
                    "Use a smaller " + key + ", more padding, or less downsampling before this layer");
        }
    }
}
