package dev.myelin.data;

/**
 * One fitted input transform: its statistics come from the training split only and it is then
 * applied unchanged to every split (training, validation, test) and to new samples, the rule of
 * LeCun et al., "Efficient BackProp" (1998), section 4.3, and of the lectures (training-dnns-tricks):
 * validation and test data are transformed with the training mean, scale and rotation.
 *
 * <p>The steps are {@link Standardizer} (per-feature or scalar standardization) and
 * {@link Projection} (PCA, PCA whitening, ZCA whitening) and {@link Resizer} (bilinear resizing of images,
 * nothing to fit). {@link Preprocessing} chains them.
 */
public sealed interface Preprocessor permits Standardizer, Projection, Resizer {

    /** A short description for logs and errors, e.g. {@code zca(eps=0.1)}. */
    String describe();

    /**
     * The shape of one sample after this step, given its shape before.
     *
     * @throws DataException when the sample does not have the number of features the step was fitted on
     */
    int[] outputShape(int[] inputShape);

    /** A transformed copy of {@code data} (any split), labels unchanged. */
    ArrayDataset apply(Dataset data);
}
