package dev.myelin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Rng;
import org.junit.jupiter.api.Test;

class ArrayDatasetTest {

    @Test
    void subsetOfSubsetMapsToTheRightRows() {
        ArrayDataset d = DataLoaderTest.indexed(10);
        ArrayDataset s = d.subset(new int[] {9, 3, 5, 7}).subset(new int[] {2, 0});
        float[] x = new float[2];
        s.features(0, x, 0);
        assertEquals(5, x[0], 0f);
        assertEquals(9 % 3, s.label(1), 0f);
        assertEquals(2, s.size());
    }

    @Test
    void firstOfKeepsTheFirstSamplesInOrder() {
        ArrayDataset d = DataLoaderTest.indexed(10);
        Dataset first = ArrayDataset.firstOf(d, 3);
        assertEquals(3, first.size());
        float[] x = new float[2];
        for (int i = 0; i < 3; i++) {
            first.features(i, x, 0);
            assertEquals(i, x[0], 0f);
        }
        assertTrue(ArrayDataset.firstOf(d, 10) == d && ArrayDataset.firstOf(d, 11) == d, "no more than n: itself");
        assertEquals(0, ArrayDataset.firstOf(d, 0).size());
        assertThrows(IllegalArgumentException.class, () -> ArrayDataset.firstOf(d, -1));
    }

    @Test
    void randomSplitIsDisjointCompleteAndSeeded() {
        ArrayDataset d = DataLoaderTest.indexed(50);
        ArrayDataset.Split a = d.randomSplit(0.2, new Rng(4));
        ArrayDataset.Split b = d.randomSplit(10, new Rng(4));
        assertEquals(40, a.train().size());
        assertEquals(10, a.validation().size());
        boolean[] seen = new boolean[50];
        for (ArrayDataset part : new ArrayDataset[] {a.train(), a.validation()}) {
            for (int i = 0; i < part.size(); i++) {
                int id = id(part, i);
                assertTrue(!seen[id], "sample " + id + " is in both parts");
                seen[id] = true;
            }
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(id(a.validation(), i), id(b.validation(), i));
        }
    }

    private static int id(Dataset d, int i) {
        float[] x = new float[2];
        d.features(i, x, 0);
        return (int) x[0];
    }

    @Test
    void rejectsInconsistentArrays() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ArrayDataset(new float[5], new int[] {2}, new float[3], 2));
        assertTrue(e.getMessage().contains("need 6 feature values, received 5"), e.getMessage());
        IllegalArgumentException l = assertThrows(IllegalArgumentException.class,
                () -> new ArrayDataset(new float[2], new int[] {1}, new float[] {0, 3}, 3));
        assertTrue(l.getMessage().contains("label 1 is 3.0"), l.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> DataLoaderTest.indexed(3).subset(new int[] {3}));
    }

    @Test
    void copyOfMaterializesAnyDataset() {
        ArrayDataset view = DataLoaderTest.indexed(6).subset(new int[] {4, 1});
        Dataset wrapped = new Dataset() {
            public int size() {
                return view.size();
            }

            public int[] featureShape() {
                return view.featureShape();
            }

            public int numClasses() {
                return view.numClasses();
            }

            public void features(int index, float[] dst, int dstOff) {
                view.features(index, dst, dstOff);
            }

            public float label(int index) {
                return view.label(index);
            }
        };
        ArrayDataset c = ArrayDataset.copyOf(wrapped);
        assertEquals(4, id(c, 0));
        assertEquals(1, c.label(1), 0f);
    }

    @Test
    void withClassesKeepsTheNamedClassesRelabeledInTheirOrder() {
        float[] x = {0, 1, 2, 3, 4, 5};
        ArrayDataset d = new ArrayDataset(x, new int[] {1}, new float[] {0, 3, 1, 3, 2, 1}, 4);

        ArrayDataset sub = d.subset(new int[] {5, 4, 3, 2, 1, 0}).withClasses(new int[] {3, 1});

        assertEquals(2, sub.numClasses());
        assertEquals(4, sub.size());
        float[] f = new float[1];
        float[][] expected = {{5, 1}, {3, 0}, {2, 1}, {1, 0}}; // feature, new label, in the subset's order
        for (int i = 0; i < 4; i++) {
            sub.features(i, f, 0);
            assertEquals(expected[i][0], f[0]);
            assertEquals(expected[i][1], sub.label(i));
        }
        assertEquals(0f, d.label(0), "the original keeps its labels");
        assertThrows(IllegalArgumentException.class, () -> d.withClasses(new int[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> d.withClasses(new int[] {4, 1}));
        assertThrows(IllegalArgumentException.class, () -> d.withClasses(new int[] {2}));
    }
}
