package dev.myelin.data;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A chain of fitted {@link Preprocessor}s, applied in order. {@link #fit} fits each step on the
 * training split as transformed by the steps before it, so
 * {@code [standardize, zca]} whitens standardized data; validation, test and prediction inputs then
 * go through {@link #apply} with the training statistics, unchanged. The empty pipeline passes data
 * through as it is.
 *
 * <pre>
 * Preprocessing p = Preprocessing.fit(List.of(new PreprocessStep.Zca(0.1)), splits.train());
 * Splits ready = p.apply(splits);          // the same transform on every split
 * </pre>
 */
public final class Preprocessing {
    private static final Preprocessing NONE = new Preprocessing(List.of());

    private final List<Preprocessor> steps;

    private Preprocessing(List<Preprocessor> steps) {
        this.steps = List.copyOf(steps);
    }

    /** The pipeline that changes nothing. */
    public static Preprocessing none() {
        return NONE;
    }

    /** A pipeline of already fitted steps (e.g. read back from a checkpoint). */
    public static Preprocessing of(List<? extends Preprocessor> steps) {
        return new Preprocessing(new ArrayList<>(steps));
    }

    /**
     * Fits {@code steps} in order on {@code train} only.
     *
     * @throws DataException naming the step (its position) when a step cannot be fitted
     */
    public static Preprocessing fit(List<? extends PreprocessStep> steps, Dataset train) {
        List<Preprocessor> fitted = new ArrayList<>();
        Dataset current = train;
        for (int i = 0; i < steps.size(); i++) {
            PreprocessStep s = steps.get(i);
            Preprocessor p;
            try {
                p = s.fit(current);
            } catch (DataException e) {
                throw new DataException("preprocess[" + i + "]: " + e.getMessage(), e);
            }
            fitted.add(p);
            if (i < steps.size() - 1) {
                current = p.apply(current);
            }
        }
        return new Preprocessing(fitted);
    }

    /** The fitted steps, in order. */
    public List<Preprocessor> steps() {
        return steps;
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** The shape of one sample after every step. */
    public int[] outputShape(int[] inputShape) {
        int[] s = inputShape.clone();
        for (Preprocessor p : steps) {
            s = p.outputShape(s);
        }
        return s;
    }

    /** {@code data} through every step; the data set itself when the pipeline is empty. */
    public Dataset apply(Dataset data) {
        Dataset d = data;
        for (Preprocessor p : steps) {
            d = p.apply(d);
        }
        return d;
    }

    /** Every split through the same fitted steps. */
    public Splits apply(Splits splits) {
        return isEmpty() ? splits : splits.map(this::apply);
    }

    @Override
    public String toString() {
        return isEmpty() ? "none" : steps.stream().map(Preprocessor::describe).collect(Collectors.joining(", "));
    }
}
