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
