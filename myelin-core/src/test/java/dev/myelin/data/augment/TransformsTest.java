package dev.myelin.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each transform on small hand-made images whose correct result is known. */
class TransformsTest {

    /** A 7x7 arrow pointing right: a horizontal shaft on row 3 and a head at the right end. */
    static float[] arrowRight() {
        float[] a = new float[49];
        for (int x = 1; x <= 5; x++) {
            a[3 * 7 + x] = 1;
        }
        a[2 * 7 + 4] = 1;
        a[4 * 7 + 4] = 1;
        a[1 * 7 + 3] = 1;
        a[5 * 7 + 3] = 1;
        return a;
    }

    /** Which way the arrow points: +1 right, -1 left, from where the head's pixels lie relative to the shaft's centre. */
    static int direction(float[] img, int w) {
        double off = 0;
        for (int y = 0; y < img.length / w; y++) {
            if (y == 3) {
                continue;
            }
            for (int x = 0; x < w; x++) {
                off += img[y * w + x] * (x - 3);
            }
        }
        return (int) Math.signum(off);
    }

    static float[] ramp(int c, int h, int w) {
        float[] a = new float[c * h * w];
        for (int i = 0; i < a.length; i++) {
            a[i] = i + 1;
        }
        return a;
    }

    @Test
    void flippedArrowPointsTheOtherWay() {
        float[] a = arrowRight();
        assertEquals(1, direction(a, 7));
        Flip.flip(Image.of(a, 1, 7, 7));
        assertEquals(-1, direction(a, 7));
        assertEquals(1f, a[3 * 7 + 2], 0f); // head now at the left end
        assertEquals(0f, a[2 * 7 + 4], 0f);
    }

    @Test
    void flipMirrorsEveryChannelRow() {
        float[] a = ramp(2, 3, 4);
        Flip.flip(Image.of(a, 2, 3, 4));
        assertArrayEquals(new float[] {4, 3, 2, 1}, Arrays.copyOfRange(a, 0, 4));
        assertArrayEquals(new float[] {24, 23, 22, 21}, Arrays.copyOfRange(a, 20, 24));
    }

    @Test
    void cropWithPaddingShiftsContentByTheDrawnOffset() {
        int pad = 2;
        for (long seed = 0; seed < 20; seed++) {
            float[] a = ramp(1, 5, 6);
            float[] orig = a.clone();
            new Crop(pad, 1.0).apply(Image.of(a, 1, 5, 6), new Rng(seed));
            Rng same = new Rng(seed);
            int dy = pad - same.nextInt(2 * pad + 1);
            int dx = pad - same.nextInt(2 * pad + 1);
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 6; x++) {
                    int sy = y - dy;
                    int sx = x - dx;
                    float want = sy >= 0 && sy < 5 && sx >= 0 && sx < 6 ? orig[sy * 6 + sx] : 0f;
                    assertEquals(want, a[y * 6 + x], 0f, "seed " + seed + " pixel " + y + "," + x);
                }
            }
        }
    }

    @Test
    void shiftFillsWithTheBackground() {
        float[] a = ramp(1, 3, 3);
        float[] bg = new float[9];
        Arrays.fill(bg, -0.5f);
        Crop.shift(new Image(a, 0, 1, 3, 3, bg), 1, -1);
        assertArrayEquals(new float[] {-0.5f, -0.5f, -0.5f, 2, 3, -0.5f, 5, 6, -0.5f}, a);
    }

    @Test
    void rotationBy90MatchesTransposeAndFlip() {
        int n = 6;
        float[] a = ramp(2, n, n);
        float[] orig = a.clone();
        Rotate.rotate(Image.of(a, 2, n, n), 90);
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    // counter-clockwise: the right column becomes the top row
                    float want = orig[(c * n + x) * n + (n - 1 - y)];
                    assertEquals(want, a[(c * n + y) * n + x], 1e-4f, "c " + c + " pixel " + y + "," + x);
                }
            }
        }
        float[] arrow = arrowRight();
        Rotate.rotate(Image.of(arrow, 1, 7, 7), 180);
        assertEquals(-1, direction(arrow, 7));
    }

    @Test
    void rotationInterpolatesBilinearlyAndKeepsTheCentre() {
        float[] a = new float[25];
        a[12] = 1; // centre pixel of 5x5
        Rotate.rotate(Image.of(a, 1, 5, 5), 45);
        assertEquals(1f, a[12], 1e-6f);
        float[] b = ramp(1, 5, 5);
        Rotate.rotate(Image.of(b, 1, 5, 5), 0);
        assertArrayEquals(ramp(1, 5, 5), b, 1e-5f);
    }

    @Test
    void zoomInMagnifiesAroundTheCentre() {
        // a horizontal gradient x: zoom by 2 halves the slope around the centre column
        float[] a = new float[5 * 5];
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                a[y * 5 + x] = x;
            }
        }
        Scale.zoom(Image.of(a, 1, 5, 5), 2.0);
        assertArrayEquals(new float[] {1, 1.5f, 2, 2.5f, 3}, Arrays.copyOfRange(a, 10, 15), 1e-6f);
        float[] b = ramp(1, 4, 4);
        Scale.zoom(Image.of(b, 1, 4, 4), 0.5);
        assertEquals(0f, b[0], 0f); // zoomed out: the corner shows the background
    }

    @Test
    void blurPreservesAConstantImageAndSpreadsAnImpulse() {
        float[] c = new float[3 * 8 * 8];
        Arrays.fill(c, 2.5f);
        Blur.blur(Image.of(c, 3, 8, 8), 1.3);
        for (float v : c) {
            assertEquals(2.5f, v, 1e-5f);
        }
        float[] d = new float[9 * 9];
        d[40] = 1;
        Blur.blur(Image.of(d, 1, 9, 9), 1.0);
        double sum = 0;
        for (float v : d) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-5); // mass kept away from the border
        assertTrue(d[40] < 0.2f && d[40] > d[41] && d[41] > d[42] && d[41] == d[39]);
    }

    @Test
    void eraseFillsOneRectangleWithinTheScaleBounds() {
        int h = 20;
        int w = 20;
        Erase e = new Erase(1.0, 0.1, 0.2, 0.5, 2.0, 0.0);
        for (long seed = 0; seed < 30; seed++) {
            float[] a = new float[h * w];
            Arrays.fill(a, 1f);
            e.apply(Image.of(a, 1, h, w), new Rng(seed));
            int top = h;
            int left = w;
            int bottom = -1;
            int right = -1;
            int zeros = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (a[y * w + x] == 0f) {
                        zeros++;
                        top = Math.min(top, y);
                        bottom = Math.max(bottom, y);
                        left = Math.min(left, x);
                        right = Math.max(right, x);
                    }
                }
            }
            int boxArea = (bottom - top + 1) * (right - left + 1);
            assertEquals(boxArea, zeros, "seed " + seed + ": the erased pixels form one rectangle");
            // rounding each side to whole pixels moves the area a little outside [0.1, 0.2]·400
            assertTrue(zeros >= 0.1 * 400 * 0.75 && zeros <= 0.2 * 400 * 1.3, "seed " + seed + ": area " + zeros);
        }
    }

    @Test
    void eraseWithRandomValuesChangesEveryChannel() {
        float[] a = new float[2 * 10 * 10];
        new Erase(1.0, 0.2, 0.3, 1.0, 1.0, null).apply(Image.of(a, 2, 10, 10), new Rng(3));
        long changed0 = 0;
        long changed1 = 0;
        for (int i = 0; i < 100; i++) {
            changed0 += a[i] != 0 ? 1 : 0;
            changed1 += a[100 + i] != 0 ? 1 : 0;
        }
        assertTrue(changed0 >= 16 && changed0 == changed1, changed0 + " / " + changed1);
    }

    @Test
    void noiseHasTheRequestedSpread() {
        float[] a = new float[100 * 100];
        new Noise(0.3, 1.0).apply(Image.of(a, 1, 100, 100), new Rng(1));
        double s = 0;
        double s2 = 0;
        for (float v : a) {
            s += v;
            s2 += v * v;
        }
        double mean = s / a.length;
        assertEquals(0, mean, 0.01);
        assertEquals(0.3, Math.sqrt(s2 / a.length - mean * mean), 0.01);
    }

    @Test
    void probabilityZeroLeavesTheImageAndOneAlwaysApplies() {
        float[] a = arrowRight();
        Augment.of(new Flip(0.0), new Noise(1.0, 0.0)).apply(Image.of(a, 1, 7, 7), new Rng(1));
        assertArrayEquals(arrowRight(), a);
        Augment.of(new Flip(1.0)).apply(Image.of(a, 1, 7, 7), new Rng(1));
        assertEquals(-1, direction(a, 7));
        int flipped = 0;
        for (int i = 0; i < 2000; i++) {
            float[] b = arrowRight();
            Augment.of(new Flip(0.3)).apply(Image.of(b, 1, 7, 7), new Rng(i));
            flipped += direction(b, 7) < 0 ? 1 : 0;
        }
        assertEquals(0.3, flipped / 2000.0, 0.035);
    }

    @Test
    void badOptionsAreRejectedWithTheTransformName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Flip(1.5)).getMessage().contains("flip"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Crop(-1, 1)).getMessage().contains("padding"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Erase(0.5, 0.3, 0.2, 0.3, 3.3, 0.0))
                .getMessage().contains("scale"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Augment.imageShape(new int[] {784}))
                .getMessage().contains("[784]"));
        assertNotEquals(null, Augment.imageShape(new int[] {28, 28}));
    }
}
