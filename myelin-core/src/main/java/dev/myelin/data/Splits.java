package dev.myelin.data;

import java.util.function.Function;

/**
 * A data set's training, validation and test parts. {@code validation} is null when no
 * validation split was asked for.
 */
public record Splits(Dataset train, Dataset validation, Dataset test) {

    public Splits {
        if (train == null || test == null) {
            throw new IllegalArgumentException("Splits: expected train and test data sets, received train=" + train
                    + ", test=" + test);
        }
    }

    /** Whether there is a validation part. */
    /** What a validation fraction must be, in words: the one statement of its range. */
    public static final String VALIDATION_FRACTION = "a fraction in [0, 1)";

    /** True when {@code f} is a share of the training set that may be held out for validation ({@link #VALIDATION_FRACTION}). */
    public static boolean isValidationFraction(double f) {
        return f >= 0 && f < 1;
    }

    public boolean hasValidation() {
        return validation != null;
    }

    /**
     * Applies {@code f} to every part, e.g. {@code splits.map(Standardizer.fitScalar(splits.train())::apply)}.
     */
    public Splits map(Function<? super Dataset, ? extends Dataset> f) {
        return new Splits(f.apply(train), validation == null ? null : f.apply(validation), f.apply(test));
    }
}
