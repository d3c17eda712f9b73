package dev.myelin.model;

import dev.myelin.nn.Conv2d;
import dev.myelin.options.Size2;

/**
 * The sample shapes layers take, checked before a layer is built so that the error says what to
 * change in the config (the layer's own check would only say what it expected).
 */
final class InputShapes {
    private InputShapes() {
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
    static void requireFits(LayerContext ctx, String key, String what, int effH, int effW, Size2 padding, int[] s) {
        int ph = s[1] + 2 * padding.h();
        int pw = s[2] + 2 * padding.w();
        if (effH > ph || effW > pw) {
            throw ctx.error(key, "a window no larger than the padded input " + ph + "x" + pw + " (the sample is "
                    + s[1] + "x" + s[2] + " with padding " + padding + ")", what,
                    "Use a smaller " + key + ", more padding, or less downsampling before this layer");
        }
    }

    /**
     * The channels of a sample for the per-channel norm {@code name}: batchnorm1d [C] or [C, L],
     * batchnorm2d [C, H, W], instancenorm1d [C, L] with L > 1, instancenorm2d [C, H, W] with H·W > 1.
     */
    static int channelNorm(LayerContext ctx, String name) {
        int[] s = ctx.shape();
        boolean ok;
        String expected;
        switch (name) {
            case "batchnorm1d" -> {
                ok = s.length == 1 || s.length == 2;
                expected = "[C] or [C, L]";
            }
            case "batchnorm2d" -> {
                ok = s.length == 3;
                expected = "[C, H, W]";
            }
            case "instancenorm1d" -> {
                ok = s.length == 2 && s[1] > 1;
                expected = "[C, L] with L > 1";
            }
            default -> {
                ok = s.length == 3 && s[1] * s[2] > 1;
                expected = "[C, H, W] with H·W > 1";
            }
        }
        if (ok) {
            return s[0];
        }
        String fix = switch (s.length) {
            case 1 -> "For flat features use batchnorm1d or layernorm; " + name + " wants channels and positions";
            case 2 -> name.equals("batchnorm2d") ? "Use batchnorm1d or instancenorm1d for samples [C, L]"
                    : "Samples [C, L] need more than one position per channel";
            default -> name.endsWith("1d") ? "Use " + name.replace("1d", "2d") + " for images, or add `- flatten` before it"
                    : "Images [C, H, W] need more than one pixel per channel";
        };
        throw ctx.error("a sample of shape " + expected + " for " + name, fix);
    }

    /** The input channels of a convolution, after checking its groups and that its (dilated) kernel fits. */
    static int conv(LayerContext ctx, Conv2d.Options o) {
        int[] s = requireImage(ctx);
        if (s[0] % o.groups() != 0 || o.out() % o.groups() != 0) {
            throw ctx.error("groups", "a divisor of the input channels (" + s[0] + ") and of out (" + o.out() + ")",
                    Integer.toString(o.groups()), "Change groups or out");
        }
        Size2 k = o.kernel();
        int effH = o.dilation().h() * (k.h() - 1) + 1;
        int effW = o.dilation().w() * (k.w() - 1) + 1;
        requireFits(ctx, "kernel", k.h() + "x" + k.w() + (effH != k.h() || effW != k.w()
                ? " (dilated to " + effH + "x" + effW + ")" : ""), effH, effW, o.padding(), s);
        return s[0];
    }

    /** Checks that a pooling window fits the padded image. */
    static void pool(LayerContext ctx, Size2 kernel, Size2 padding) {
        int[] s = requireImage(ctx);
        requireFits(ctx, "kernel", kernel.h() + "x" + kernel.w(), kernel.h(), kernel.w(), padding, s);
    }

    /** The channels of a sample for group norm, after checking that the groups divide them. */
    static int groups(LayerContext ctx, int groups) {
        int c = ctx.channels();
        if (c % groups != 0) {
            String divisors = String.join(", ", java.util.stream.IntStream.rangeClosed(1, c).filter(d -> c % d == 0)
                    .mapToObj(Integer::toString).toList());
            throw ctx.error("groups", "a divisor of the " + c + " channels of the sample (one of " + divisors + ")",
                    Integer.toString(groups), "Set groups to one of those");
        }
        return c;
    }

    /** The sample's shape, after checking that layer norm's normalized_shape is its last dimensions. */
    static int[] layerNorm(LayerContext ctx, java.util.List<Integer> normalized) {
        int[] sample = ctx.shape();
        int[] ns = normalized == null ? sample : normalized.stream().mapToInt(Integer::intValue).toArray();
        int k = ns.length;
        if (k > sample.length || !java.util.Arrays.equals(java.util.Arrays.copyOfRange(sample, sample.length - k,
                sample.length), ns)) {
            throw ctx.error("a sample whose last " + (k == 1 ? "dimension is" : k + " dimensions are")
                    + " normalized_shape " + java.util.Arrays.toString(ns), "Set normalized_shape to the sample's last"
                    + " dimensions, e.g. " + java.util.Arrays.toString(sample) + ", or leave it out");
        }
        return sample;
    }

    /** A sample with channels for dropout2d: [C, H, W] or [C, L]. */
    static void channels(LayerContext ctx) {
        int rank = ctx.shape().length;
        if (rank != 2 && rank != 3) {
            throw ctx.error("samples with channels, [C, H, W] or [C, L]",
                    "Use `- dropout` for flat features [F]; dropout2d goes between convolutions, before `- flatten`");
        }
    }

    /** PReLU's num_parameters: 1 or the input's features. */
    static int slopes(LayerContext ctx, int numParameters) {
        int features = ctx.channels();
        if (numParameters != 1 && numParameters != features) {
            throw ctx.error("num_parameters", "1 or the number of input features (" + features + ")",
                    Integer.toString(numParameters), "Set num_parameters: 1 or num_parameters: " + features);
        }
        return numParameters;
    }
}
