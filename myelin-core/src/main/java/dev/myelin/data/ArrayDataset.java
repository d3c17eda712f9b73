package dev.myelin.data;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.Arrays;

/**
 * A data set held in memory: row-major features in one {@code float[]} ({@code size x
 * featureSize} floats) and one label per sample.
 *
 * <p>{@link #subset} and {@link #randomSplit} return views that share the storage (only an index
 * array is new), so a 60,000-image training set can be split without copying 188 MB.
 */
public final class ArrayDataset implements Dataset {
    private final float[] features;
    private final float[] labels;
    private final int[] featureShape;
    private final int featureSize;
    private final int numClasses;
    /** Rows of the storage this view exposes, in order; null means all rows. */
    private final int[] rows;

    /** The two parts of a {@link #randomSplit}. */
    public record Split(ArrayDataset train, ArrayDataset validation) {
    }

    /**
     * A data set over {@code features} and {@code labels} (not copied).
     *
     * @param features     {@code labels.length * product(featureShape)} floats, sample after sample
     * @param featureShape the shape of one sample, e.g. {@code [1, 28, 28]}
     * @param labels       one label per sample: class indices as floats, or regression targets
     * @param numClasses   the number of classes, or 0 for regression
     */
    public ArrayDataset(float[] features, int[] featureShape, float[] labels, int numClasses) {
        this(features, featureShape.clone(), labels, numClasses, null);
        checkLayout();
        checkLabels();
    }

    private ArrayDataset(float[] features, int[] featureShape, float[] labels, int numClasses, int[] rows) {
        this.features = features;
        this.labels = labels;
        this.featureShape = featureShape;
        this.featureSize = product(featureShape);
        this.numClasses = numClasses;
        this.rows = rows;
    }

    /** A copy of any data set into memory (already an {@code ArrayDataset}: returned as it is). */
    public static ArrayDataset copyOf(Dataset dataset) {
        if (dataset instanceof ArrayDataset a) {
            return a;
        }
        int n = dataset.size();
        int d = dataset.featureSize();
        float[] x = new float[Math.multiplyExact(n, d)];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            dataset.features(i, x, i * d);
            y[i] = dataset.label(i);
        }
        return new ArrayDataset(x, dataset.featureShape(), y, dataset.numClasses());
    }

    @Override
    public int size() {
        return rows == null ? labels.length : rows.length;
    }

    @Override
    public int[] featureShape() {
        return featureShape.clone();
    }

    @Override
    public int featureSize() {
        return featureSize;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public void features(int index, float[] dst, int dstOff) {
        System.arraycopy(features, row(index) * featureSize, dst, dstOff, featureSize);
    }

    @Override
    public float label(int index) {
        return labels[row(index)];
    }

    /**
     * The first {@code n} samples of {@code d} ({@code train_limit}, {@code test_limit}, a
     * training-set evaluation), or {@code d} itself when it has no more than {@code n}.
     */
    public static Dataset firstOf(Dataset d, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("firstOf: expected n >= 0, received " + n);
        }
        return n >= d.size() ? d : copyOf(d).subset(java.util.stream.IntStream.range(0, n).toArray());
    }

    /** The samples at {@code indices} (in that order; repeats allowed), sharing this data set's storage. */
    public ArrayDataset subset(int[] indices) {
        int n = size();
        int[] r = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int k = indices[i];
            if (k < 0 || k >= n) {
                throw new IndexOutOfBoundsException("subset: expected indices in 0.." + (n - 1)
                        + ", received " + k + " at position " + i);
            }
            r[i] = rows == null ? k : rows[k];
        }
        return new ArrayDataset(features, featureShape, labels, numClasses, r);
    }

    /**
     * The samples whose class is one of {@code keep}, relabeled to its position there: with
     * {@code keep = [5, 6]}, class 5 becomes 0 and class 6 becomes 1, and the result has 2
     * classes. Order is kept; the features are shared. For learning a sub-task of a data set
     * (Géron, Hands-On Machine Learning, ch. 11: pretrain on 8 Fashion-MNIST classes, then learn
     * the other 2).
     *
     * @throws IllegalArgumentException when {@code keep} has fewer than 2 classes, repeats one,
     *                                  or names one outside {@code [0, numClasses())}
     */
    public ArrayDataset withClasses(int[] keep) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("withClasses: expected a classification data set, found "
                    + (numClasses == 0 ? "regression targets" : numClasses + " class"));
        }
        int[] position = new int[numClasses];
        Arrays.fill(position, -1);
        for (int i = 0; i < keep.length; i++) {
            int k = keep[i];
            if (k < 0 || k >= numClasses || position[k] >= 0) {
                throw new IllegalArgumentException("withClasses: expected distinct classes in 0.." + (numClasses - 1)
                        + ", found " + Arrays.toString(keep));
            }
            position[k] = i;
        }
        if (keep.length < 2) {
            throw new IllegalArgumentException("withClasses: expected at least 2 classes, found " + Arrays.toString(keep));
        }
        float[] relabeled = new float[labels.length];
        int[] kept = new int[size()];
        int m = 0;
        for (int i = 0; i < size(); i++) {
            int r = row(i);
            int p = position[(int) labels[r]];
            if (p >= 0) {
                relabeled[r] = p;
                kept[m++] = r;
            }
        }
        return new ArrayDataset(features, featureShape, relabeled, keep.length, Arrays.copyOf(kept, m));
    }

    /**
     * Splits off {@code validationCount} samples chosen by a permutation drawn from {@code rng};
     * the rest is the training part. Both parts keep this data set's order, so the split depends
     * only on the seed, and the two parts are disjoint and together hold every sample once.
     */
    public Split randomSplit(int validationCount, Rng rng) {
        int n = size();
        if (validationCount < 0 || validationCount > n) {
            throw new IllegalArgumentException("randomSplit: expected a validation count in 0.." + n
                    + ", received " + validationCount);
        }
        int[] perm = rng.permutation(n);
        int[] val = Arrays.copyOfRange(perm, 0, validationCount);
        int[] train = Arrays.copyOfRange(perm, validationCount, n);
        Arrays.sort(val);
        Arrays.sort(train);
        return new Split(subset(train), subset(val));
    }

    /**
     * Like {@link #randomSplit(int, Rng)} with {@code round(fraction * size())} validation samples.
     */
    public Split randomSplit(double validationFraction, Rng rng) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("randomSplit: expected a validation fraction in [0, 1), received "
                    + validationFraction);
        }
        return randomSplit((int) Math.round(validationFraction * size()), rng);
    }

    private int row(int index) {
        if (rows == null) {
            return index;
        }
        return rows[index];
    }

    private void checkLayout() {
        for (int d : featureShape) {
            if (d <= 0) {
                throw new IllegalArgumentException("ArrayDataset: expected a feature shape of positive sizes, received "
                        + Arrays.toString(featureShape));
            }
        }
        if ((long) labels.length * featureSize != features.length) {
            throw new IllegalArgumentException("ArrayDataset: " + labels.length + " labels with feature shape "
                    + Arrays.toString(featureShape) + " need " + (long) labels.length * featureSize
                    + " feature values, received " + features.length);
        }
        if (numClasses < 0) {
            throw new IllegalArgumentException("ArrayDataset: expected numClasses >= 0 (0 for regression), received "
                    + numClasses);
        }
    }

    private void checkLabels() {
        for (int i = 0; i < labels.length; i++) {
            float y = labels[i];
            boolean ok = numClasses == 0 ? Float.isFinite(y) : y >= 0 && y < numClasses && y == Math.rint(y);
            if (!ok) {
                throw new IllegalArgumentException("ArrayDataset: label " + i + " is " + y + "; expected "
                        + (numClasses == 0 ? "a finite target" : "a class index in 0.." + (numClasses - 1)));
            }
        }
    }

    /** The number of values in one sample of {@code shape} ({@link Tensor#numel(int[])}). */
    public static int product(int[] shape) {
        return Tensor.numel(shape);
    }
}
