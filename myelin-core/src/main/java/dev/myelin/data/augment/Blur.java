package dev.myelin.data.augment;

import dev.myelin.tensor.Rng;

/**
 * Gaussian blur with σ ~ U(sigmaMin, sigmaMax), as torchvision's {@code GaussianBlur}: a
 * separable kernel of radius r = ⌈3σ⌉, rows then columns,
 * <pre>k_i = exp(−i² / 2σ²) / Σ_j exp(−j² / 2σ²),   i = −r..r</pre>
 * The weights sum to 1 and the border repeats the edge pixel, so a constant image stays
 * constant. Departure from torchvision: the kernel size follows σ (torchvision takes it as an
 * argument) and the border is replicated, not reflected.
 */
public record Blur(double sigmaMin, double sigmaMax, double p) implements Transform {
    public Blur {
        if (!(sigmaMin > 0 && sigmaMax >= sigmaMin && sigmaMax <= 20)) {
            throw new IllegalArgumentException("blur: expected 0 < sigma min <= max <= 20, received [" + sigmaMin
                    + ", " + sigmaMax + "]; e.g. sigma: 1.0 or sigma: [0.1, 2.0]");
        }
        Transform.probability("blur", p);
    }

    /** The defaults: σ = 1, always (p = 1). */
    public Blur() {
        this(1.0, 1.0, 1.0);
    }

    @Override
    public String name() {
        return "blur";
    }

    @Override
    public void apply(Image image, Rng rng) {
        blur(image, Transform.uniform(rng, sigmaMin, sigmaMax));
    }

    /** Blurs {@code image} in place with standard deviation {@code sigma} pixels. */
    public static void blur(Image image, double sigma) {
        float[] k = kernel(sigma);
        pass(image, k, true);
        pass(image, k, false);
    }

    static float[] kernel(double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        double[] w = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            w[i + r] = Math.exp(-(double) i * i / (2 * sigma * sigma));
            sum += w[i + r];
        }
        float[] k = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            k[i] = (float) (w[i] / sum);
        }
        return k;
    }

    /** One 1-D pass along x (horizontal) or y, edge pixels repeated. */
    private static void pass(Image image, float[] k, boolean horizontal) {
        float[] src = image.copyValues();
        float[] dst = new float[src.length];
        int r = k.length / 2;
        int h = image.height();
        int w = image.width();
        int step = horizontal ? 1 : w;
        int len = horizontal ? w : h;
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int at = image.index(c, y, x);
                    int pos = horizontal ? x : y;
                    int start = at - pos * step; // the first pixel of this row (or column)
                    double s = 0;
                    for (int i = -r; i <= r; i++) {
                        s += k[i + r] * src[start + Math.clamp(pos + i, 0, len - 1) * step];
                    }
                    dst[at] = (float) s;
                }
            }
        }
        image.setValues(dst);
    }
}
