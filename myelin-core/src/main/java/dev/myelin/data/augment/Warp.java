package dev.myelin.data.augment;

/**
 * Rotation and scaling about the image centre with bilinear interpolation, the shared step of
 * {@link Rotate} and {@link Scale}. Each output pixel is looked up in the input (inverse
 * mapping), so every output pixel gets exactly one value:
 * <pre>
 * (cy, cx) = ((H − 1)/2, (W − 1)/2),  (dy, dx) = (y − cy, x − cx)
 * xs = cx + (cos θ · dx − sin θ · dy) / s
 * ys = cy + (sin θ · dx + cos θ · dy) / s
 * out[c, y, x] = bilinear(in[c], ys, xs)    (background outside the image)
 * </pre>
 * A positive θ turns the content counter-clockwise as seen on screen (torchvision's
 * convention); s &gt; 1 zooms in.
 */
final class Warp {
    private Warp() {
    }

    static void affine(Image image, double degrees, double scale) {
        double t = Math.toRadians(degrees);
        double cos = Math.cos(t) / scale;
        double sin = Math.sin(t) / scale;
        float[] src = image.copyValues();
        double cy = (image.height() - 1) / 2.0;
        double cx = (image.width() - 1) / 2.0;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                double dy = y - cy;
                double dx = x - cx;
                double xs = cx + cos * dx - sin * dy;
                double ys = cy + sin * dx + cos * dy;
                for (int c = 0; c < image.channels(); c++) {
                    image.set(c, y, x, bilinear(image, src, c, ys, xs));
                }
            }
        }
    }

    /** The value at the real position (ys, xs) of channel c, from the four pixels around it. */
    private static float bilinear(Image image, float[] src, int c, double ys, double xs) {
        int y0 = (int) Math.floor(ys);
        int x0 = (int) Math.floor(xs);
        double fy = ys - y0;
        double fx = xs - x0;
        double top = (1 - fx) * at(image, src, c, y0, x0) + fx * at(image, src, c, y0, x0 + 1);
        double bottom = (1 - fx) * at(image, src, c, y0 + 1, x0) + fx * at(image, src, c, y0 + 1, x0 + 1);
        return (float) ((1 - fy) * top + fy * bottom);
    }

    private static float at(Image image, float[] src, int c, int y, int x) {
        if (y < 0 || y >= image.height() || x < 0 || x >= image.width()) {
            return image.background(c, Math.clamp(y, 0, image.height() - 1), Math.clamp(x, 0, image.width() - 1));
        }
        return src[image.index(c, y, x)];
    }
}
