package dev.myelin.data;

import static dev.myelin.data.IdxReaderTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFormatTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    @Test
    void loadsGzipAndScalesPixels() {
        IdxFiles.mnistDir(dir, 30, 12, true);
        Splits s = MnistFormat.fashionMnist(MnistFormat.Options.defaults().withDir(dir), null, NO_ENV);
        assertEquals(30, s.train().size());
        assertEquals(12, s.test().size());
        assertNull(s.validation());
        assertArrayEquals(new int[] {1, 4, 3}, s.train().featureShape());
        assertEquals(10, s.train().numClasses());
        float[] x = new float[12];
        s.train().features(2, x, 0);
        assertEquals((2 * 7 + 5) / 255f, x[5], 0f);
        assertEquals(7, s.test().label(7), 0f);
    }

    @Test
    void acceptsUngzippedNames() {
        IdxFiles.mnistDir(dir, 10, 5, false);
        Splits s = MnistFormat.fashionMnist(MnistFormat.Options.defaults().withDir(dir), null, NO_ENV);
        assertEquals(10, s.train().size());
    }

    @Test
    void envVariableIsUsedWhenNoDirIsGiven() {
        IdxFiles.mnistDir(dir.resolve("fashion-mnist"), 8, 4, true);
        // MYELIN_DATA may name the data set's folder or the folder above it
        Splits s = MnistFormat.fashionMnist(MnistFormat.Options.defaults(), null, Map.of("MYELIN_DATA", dir.toString()));
        assertEquals(8, s.train().size());
    }

    @Test
    void explicitDirWinsOverEnv() {
        IdxFiles.mnistDir(dir.resolve("a"), 8, 4, true);
        IdxFiles.mnistDir(dir.resolve("b"), 6, 4, true);
        Splits s = MnistFormat.fashionMnist(MnistFormat.Options.defaults().withDir(dir.resolve("b")), null,
                Map.of("MYELIN_DATA", dir.resolve("a").toString()));
        assertEquals(6, s.train().size());
    }

    @Test
    void missingDataSetSaysWhereItLookedAndHowToInstall() throws Exception {
        Path partial = Files.createDirectories(dir.resolve("partial"));
        IdxFiles.write(partial.resolve("train-images-idx3-ubyte.gz"), IdxFiles.gzip(IdxFiles.images(2, 4, 3)));
        DataException e = assertThrows(DataException.class, () ->
                MnistFormat.fashionMnist(MnistFormat.Options.defaults().withDir(partial), null, NO_ENV));
        assertContains(e, "Fashion-MNIST not found", partial.toString(), "missing train-labels-idx1-ubyte[.gz]",
                "apt-get install -y dataset-fashion-mnist", "--data DIR");
        DataException env = assertThrows(DataException.class, () -> MnistFormat.fashionMnist(
                MnistFormat.Options.defaults(), null, Map.of("MYELIN_DATA", dir.resolve("nowhere").toString())));
        assertContains(env, "MYELIN_DATA=", "nowhere: no such directory");
    }

    @Test
    void labelCountMismatchNamesBothFiles() {
        IdxFiles.mnistDir(dir, 10, 5, true);
        IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFiles.gzip(IdxFiles.labels(4)));
        DataException e = assertThrows(DataException.class, () ->
                MnistFormat.fashionMnist(MnistFormat.Options.defaults().withDir(dir), null, NO_ENV));
        assertContains(e, "t10k-images-idx3-ubyte.gz holds 5 images", "t10k-labels-idx1-ubyte.gz holds 4 labels");
    }

    @Test
    void corruptFileInsideDataSetIsNamed() {
        IdxFiles.mnistDir(dir, 10, 5, false);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.images(10, 1, 1));
        DataException e = assertThrows(DataException.class, () ->
                MnistFormat.fashionMnist(MnistFormat.Options.defaults().withDir(dir), null, NO_ENV));
        assertContains(e, "train-labels-idx1-ubyte", "expected 0x00000801", "found 0x00000803");
    }

    @Test
    void trainLimitAndSeededDisjointValidation() {
        IdxFiles.mnistDir(dir, 40, 5, true);
        MnistFormat.Options o = MnistFormat.Options.defaults().withDir(dir).withTrainLimit(30).withValidationFraction(0.2);
        Splits a = MnistFormat.fashionMnist(o, new Rng(9), NO_ENV);
        Splits b = MnistFormat.fashionMnist(o, new Rng(9), NO_ENV);
        Splits c = MnistFormat.fashionMnist(o, new Rng(10), NO_ENV);
        assertEquals(24, a.train().size());
        assertEquals(6, a.validation().size());
        Set<Integer> train = firstPixels(a.train());
        Set<Integer> val = firstPixels(a.validation());
        assertEquals(24, train.size());
        assertEquals(6, val.size());
        Set<Integer> all = new HashSet<>(train);
        all.addAll(val);
        assertEquals(30, all.size(), "train and validation are disjoint and cover the first 30 samples");
        assertTrue(all.stream().allMatch(p -> p < 30 * 7));
        assertEquals(val, firstPixels(b.validation()), "same seed, same split");
        assertTrue(!val.equals(firstPixels(c.validation())), "another seed, another split");
        assertEquals(5, a.test().size());
    }

    @Test
    void validationCount() {
        IdxFiles.mnistDir(dir, 20, 5, true);
        Splits s = MnistFormat.fashionMnist(MnistFormat.Options.defaults().withDir(dir).withValidationCount(7),
                new Rng(1), NO_ENV);
        assertEquals(13, s.train().size());
        assertEquals(7, s.validation().size());
    }

    /** Sample i's first pixel is i * 7 (for i < 37), so it identifies the sample. */
    private static Set<Integer> firstPixels(Dataset d) {
        Set<Integer> ids = new HashSet<>();
        float[] x = new float[d.featureSize()];
        for (int i = 0; i < d.size(); i++) {
            d.features(i, x, 0);
            ids.add(Math.round(x[0] * 255));
        }
        return ids;
    }

    @Test
    void realFashionMnistWhenInstalled() {
        Assumptions.assumeTrue(Files.isDirectory(MnistFormat.FASHION_MNIST_DIR),
                "Fashion-MNIST is not installed (apt-get install -y dataset-fashion-mnist)");
        Splits s = MnistFormat.fashionMnist(MnistFormat.Options.defaults().withDir(MnistFormat.FASHION_MNIST_DIR), null);
        assertEquals(60000, s.train().size());
        assertEquals(10000, s.test().size());
        assertArrayEquals(new int[] {1, 28, 28}, s.train().featureShape());
        int[] counts = new int[10];
        for (int i = 0; i < s.test().size(); i++) {
            float y = s.test().label(i);
            assertTrue(y >= 0 && y <= 9);
            counts[(int) y]++;
        }
        for (int c : counts) {
            assertEquals(1000, c, "Fashion-MNIST's test set has 1000 images of each class");
        }
        float[] x = new float[784];
        s.train().features(0, x, 0);
        for (float v : x) {
            assertTrue(v >= 0 && v <= 1);
        }
    }
}
