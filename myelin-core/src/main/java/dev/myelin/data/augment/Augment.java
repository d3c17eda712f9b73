package dev.myelin.data.augment;

import dev.myelin.kernel.Parallel;
import dev.myelin.tensor.Rng;
import java.util.Arrays;
import java.util.List;

/**
 * A data-augmentation pipeline: transforms applied in order to each training sample, each with
 * its own probability, on the fly as the {@link dev.myelin.data.DataLoader} builds a batch (on
 * its prefetch thread, the samples of a batch split across the compute pool).
 *
 * <p>Reproducible: sample {@code i} of epoch {@code e} draws from its own stream,
 * {@link #sampleRng}{@code (stream, e, i)}, so the augmented batches depend only on the seed,
 * never on the thread count or the prefetch setting, and a resumed run sees the same ones.
 *
 * <p>Samples must be images {@code [C, H, W]} (or {@code [H, W]}, one channel). The
 * background (what a padding or a rotation's corners show) is the value of a black pixel in
 * the data's units; set it with {@link #withBackground} when the data are standardized.
 */
public final class Augment {
    private static final int GRAIN = 4; // samples per task: a 28x28 image takes microseconds

    private final List<Transform> steps;
    private final float[] background;

    /** A pipeline of {@code steps} with a zero background. */
    public Augment(List<Transform> steps) {
        this(steps, null);
    }

    private Augment(List<Transform> steps, float[] background) {
        this.steps = List.copyOf(steps);
        this.background = background;
    }

    public static Augment of(Transform... steps) {
        return new Augment(List.of(steps));
    }

    /** The same pipeline with a per-value background (one sample's worth of values), e.g. black after standardizing. */
    public Augment withBackground(float[] values) {
        return new Augment(steps, values == null ? null : values.clone());
    }

    public List<Transform> steps() {
        return steps;
    }

    /** True when there is nothing to do. */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * The {@code [C, H, W]} image shape of samples of {@code featureShape}; an error saying what to
     * do when they are not images.
     */
    public static int[] imageShape(int[] featureShape) {
        return switch (featureShape.length) {
            case 3 -> featureShape.clone();
            case 2 -> new int[] {1, featureShape[0], featureShape[1]};
            default -> throw new IllegalArgumentException("augmentation: expected image samples [C, H, W], the data set"
                    + " gives samples of shape " + Arrays.toString(featureShape)
                    + "; image transforms need an image data set (e.g. fashion-mnist), or remove data.augment");
        };
    }

    /** The stream of sample {@code index} in epoch {@code epoch}: a pure function of the three (SplitMix64 mixing). */
    public static Rng sampleRng(Rng stream, int epoch, int index) {
        long h = stream.seed() ^ (0x9E3779B97F4A7C15L * (epoch + 1L)) ^ (0xC2B2AE3D27D4EB4FL * (index + 1L));
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return new Rng(h ^ (h >>> 31));
    }

    /** Applies the pipeline to one image with its own stream. */
    public void apply(Image image, Rng rng) {
        for (Transform t : steps) {
            if (t.p() >= 1 || rng.nextDouble() < t.p()) {
                t.apply(image, rng);
            }
        }
    }

    /**
     * Augments a batch in place: sample {@code b} occupies {@code x[b*d ..]} and is data-set sample
     * {@code indices[b]}.
     */
    public void applyToBatch(float[] x, int[] indices, int[] featureShape, Rng stream, int epoch) {
        int[] s = imageShape(featureShape);
        int d = s[0] * s[1] * s[2];
        if (background != null && background.length != d) {
            throw new IllegalArgumentException("augmentation: the background has " + background.length
                    + " values, the samples " + d + "; build it from one sample of this data set");
        }
        Parallel.forRange(indices.length, GRAIN, (from, to) -> {
            for (int b = from; b < to; b++) {
                applyToSample(x, b * d, s, sampleRng(stream, epoch, indices[b]));
            }
        });
    }

    /** Augments the one image {@code [C, H, W] = imageShape} at {@code x[offset ..]} in place, with this pipeline's background. */
    public void applyToSample(float[] x, int offset, int[] imageShape, Rng rng) {
        apply(new Image(x, offset, imageShape[0], imageShape[1], imageShape[2], background), rng);
    }

    @Override
    public String toString() {
        return "Augment" + steps;
    }
}
