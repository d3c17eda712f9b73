package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.io.Golden;
import dev.myelin.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bilinear resizing gives PyTorch's F.interpolate(mode="bilinear", align_corners=False). */
class ResizerTest {
    /** The golden input as a data set of 2 images of shape [3, 5, 7]. */
    private static ArrayDataset images(Golden g) {
        float[] x = g.get("input").tensor().toArray();
        return new ArrayDataset(x, new int[] {3, 5, 7}, new float[] {0, 1}, 2);
    }

    @Test
    void matchesPyTorchsBilinearInterpolation() {
        Golden g = Golden.load("resize.json");
        ArrayDataset data = images(g);
        for (int k = 0; k < g.get("cases").size(); k++) {
            Golden c = g.get("cases").get(k);
            int h = (int) c.get("size").get(0).asLong();
            int w = (int) c.get("size").get(1).asLong();
            ArrayDataset out = Resizer.to(h, w).apply(data);
            assertArrayEquals(new int[] {3, h, w}, out.featureShape());
            float[] x = new float[2 * 3 * h * w];
            out.features(0, x, 0);
            out.features(1, x, 3 * h * w);
            g.tolerance().assertClose("resize to " + h + "x" + w, c.get("output").tensor(), Tensor.of(x, 2, 3, h, w));
            assertEquals(1f, out.label(1), 0f);
        }
    }

    @Test
    void theSameSizeChangesNothingAndOnlyImagesResize() {
        ArrayDataset data = images(Golden.load("resize.json"));
        ArrayDataset same = Resizer.to(5, 7).apply(data);
        float[] a = new float[105];
        float[] b = new float[105];
        data.features(1, a, 0);
        same.features(1, b, 0);
        assertArrayEquals(a, b, 0f);
        String e = assertThrows(DataException.class, () -> Resizer.to(2, 2).outputShape(new int[] {4})).getMessage();
        assertTrue(e.startsWith("resize: expected images, samples of shape [channels, height, width], found samples"
                + " of shape [4]"), e);
        String fit = assertThrows(DataException.class, () -> Preprocessing.fit(List.of(new PreprocessStep.Resize(2, 2)),
                new ArrayDataset(new float[8], new int[] {4}, new float[2], 2))).getMessage();
        assertTrue(fit.startsWith("preprocess[0]: resize: expected images"), fit);
        assertThrows(IllegalArgumentException.class, () -> Resizer.to(0, 3));
    }
}
