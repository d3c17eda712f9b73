package dev.myelin.data;

import dev.myelin.tensor.Tensor;

/**
 * A finite, indexed set of samples: each sample is a float feature vector of a fixed shape
 * and one float label.
 *
 * <p>For classification the label is the class index {@code 0 .. numClasses()-1} stored as a
 * float (PyTorch's {@code long} target, kept in the same float tensor type as everything
 * else); for regression {@link #numClasses()} is 0 and the label is the target value.
 *
 * <p>Implementations must allow {@link #features} and {@link #label} to be called from a
 * thread other than the one that built the data set (the {@link DataLoader}'s prefetch
 * thread), so they should be effectively immutable once built.
 */
public interface Dataset {

    /** The number of samples. */
    int size();

    /** The shape of one sample's features, e.g. {@code [1, 28, 28]}, {@code [784]} or {@code [2]}. */
    int[] featureShape();

    /** The number of classes, or 0 for a regression target. */
    int numClasses();

    /** Copies the features of sample {@code index} (row-major) into {@code dst} from {@code dstOff}. */
    void features(int index, float[] dst, int dstOff);

    /** The features of the samples at {@code indices}, stacked into one tensor [indices.length, featureShape...]. */
    default Tensor features(int[] indices) {
        int f = featureSize();
        float[] x = new float[Math.multiplyExact(indices.length, f)];
        for (int i = 0; i < indices.length; i++) {
            features(indices[i], x, i * f);
        }
        int[] fs = featureShape();
        int[] shape = new int[fs.length + 1];
        shape[0] = indices.length;
        System.arraycopy(fs, 0, shape, 1, fs.length);
        return Tensor.of(x, shape);
    }

    /** The label of sample {@code index}: the class index as a float, or the target value. */
    float label(int index);

    /** The number of floats in one sample's features: the product of {@link #featureShape()}. */
    default int featureSize() {
        int n = 1;
        for (int d : featureShape()) {
            n *= d;
        }
        return n;
    }
}
