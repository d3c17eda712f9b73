package dev.myelin.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A PNG grid of small images: one row per sample, the original first, a wider gap, then its
 * augmented versions. Values are shown on the grey (or RGB for 3 channels) scale of the row's
 * original, from its minimum (black) to its maximum (white); augmented values outside that range
 * (noise) are clipped.
 */
final class ImageGrid {
    private static final int GAP = 2;
    private static final int ORIGINAL_GAP = 8;
    private static final int BACKGROUND = 0x808080;

    private final int channels;
    private final int height;
    private final int width;
    private final int zoom;

    /** Images of shape [channels, height, width], each pixel drawn as zoom x zoom screen pixels. */
    ImageGrid(int channels, int height, int width, int zoom) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.zoom = zoom;
    }

    /** Draws {@code rows[r][k]} (k = 0 the original) and writes the PNG. */
    void write(float[][][] rows, Path file) throws IOException {
        int cols = rows[0].length;
        int cellW = width * zoom;
        int cellH = height * zoom;
        int w = GAP + cellW + ORIGINAL_GAP + (cols - 1) * (cellW + GAP);
        int h = GAP + rows.length * (cellH + GAP);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, BACKGROUND);
            }
        }
        for (int r = 0; r < rows.length; r++) {
            float[] range = range(rows[r][0]);
            for (int k = 0; k < cols; k++) {
                int left = GAP + (k == 0 ? 0 : cellW + ORIGINAL_GAP + (k - 1) * (cellW + GAP));
                draw(img, rows[r][k], range, left, GAP + r * (cellH + GAP));
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException(file + ": no PNG writer in this Java runtime");
        }
    }

    private void draw(BufferedImage img, float[] values, float[] range, int left, int top) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = rgb(values, y, x, range);
                for (int dy = 0; dy < zoom; dy++) {
                    for (int dx = 0; dx < zoom; dx++) {
                        img.setRGB(left + x * zoom + dx, top + y * zoom + dy, rgb);
                    }
                }
            }
        }
    }

    /** Grey from channel 0, or RGB from channels 0-2 when there are three. */
    private int rgb(float[] v, int y, int x, float[] range) {
        int g = level(v[y * width + x], range);
        if (channels != 3) {
            return (g << 16) | (g << 8) | g;
        }
        int plane = height * width;
        return (g << 16) | (level(v[plane + y * width + x], range) << 8) | level(v[2 * plane + y * width + x], range);
    }

    private static int level(float v, float[] range) {
        double t = range[1] > range[0] ? (v - range[0]) / (range[1] - range[0]) : 0.5;
        return (int) Math.round(255 * Math.clamp(t, 0.0, 1.0));
    }

    private static float[] range(float[] v) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return new float[] {lo, hi};
    }
}
