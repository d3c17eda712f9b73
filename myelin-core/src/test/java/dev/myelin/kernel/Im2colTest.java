package dev.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The one-copy unfold of "same width" convolutions writes what the row-by-row unfold writes. */
class Im2colTest {
    @Test
    void theSameWidthUnfoldMatchesTheGeneralOne() {
        // batch, in, H, W, out, kH, kW, sH, sW, pH, pW, dH, dW, groups
        int[][] shapes = {
            {1, 3, 7, 9, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1},   // a ResNet 3x3
            {1, 2, 5, 6, 2, 5, 5, 1, 1, 2, 2, 1, 1, 1},   // 5x5, padding 2
            {1, 2, 9, 8, 2, 3, 3, 1, 1, 2, 2, 2, 2, 1},   // dilation 2
            {1, 2, 6, 7, 2, 3, 3, 1, 1, 0, 1, 1, 1, 1},   // no padding in height: outH = H - 2
            {1, 1, 2, 3, 1, 5, 3, 1, 1, 2, 1, 1, 1, 1},   // a kernel taller than the image
            {2, 4, 4, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, 2},   // groups
            {1, 2, 3, 3, 1, 3, 1, 1, 1, 1, 0, 1, 1, 1},   // 3x1
        };
        for (int[] s : shapes) {
            ConvGeometry g = new ConvGeometry(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10],
                    s[11], s[12], s[13]);
            assertTrue(g.isSameWidth(), Arrays.toString(s));
            float[] x = VectorKernelsTest.random(s[2] * 31 + s[3], g.batch() * g.inChannels() * g.inPlane(), -1f, 1f);
            int[][] ranges = Im2col.columnRanges(g);
            int size = g.colRows() * g.outPlane();
            for (int n = 0; n < g.batch(); n++) {
                for (int grp = 0; grp < g.groups(); grp++) {
                    int xOff = (n * g.inChannels() + grp * g.groupIn()) * g.inPlane();
                    float[] fast = new float[size];
                    Arrays.fill(fast, Float.NaN); // every element must be written
                    float[] general = new float[size];
                    Im2col.sameWidth(g, ranges, x, xOff, fast);
                    Im2col.general(g, ranges, x, xOff, general);
                    assertArrayEquals(general, fast, Arrays.toString(s) + " sample " + n + " group " + grp);
                }
            }
        }
    }
}
