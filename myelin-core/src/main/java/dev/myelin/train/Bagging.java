package dev.myelin.train;

import dev.myelin.data.ArrayDataset;
import dev.myelin.data.Dataset;
import dev.myelin.tensor.Rng;

/**
 * Bootstrap aggregation (Breiman 1996, "Bagging predictors"; "Deep Feedforward Networks" (Strojové učení II),
 * "Bagging"): member k of an ensemble trains on n samples drawn with replacement from the n
 * training samples, so each member sees about 1 − 1/e ≈ 63% of them, some several times; the
 * members' predictions are then averaged ({@link dev.myelin.nn.Ensemble}). If the members' errors
 * were uncorrelated, the expected squared error of the average would fall as 1/K.
 * <pre>
 * D_k = (x_{i_1}, ..., x_{i_n}),  i_j ~ Uniform{0..n−1} independently,  drawn from rng.split("bag" + k)
 * </pre>
 * Member k's other streams (initialization, shuffling, dropout) are split off the same
 * {@link #memberRng} with their usual names, so one seed reproduces every member.
 */
public final class Bagging {
    private Bagging() {
    }

    /** Member k's root stream: {@code root.split("bag" + k)}. */
    public static Rng memberRng(Rng root, int k) {
        return root.split("bag" + k);
    }

    /** n indices drawn uniformly with replacement from 0..n−1. */
    public static int[] bootstrapIndices(int n, Rng rng) {
        if (n < 1) {
            throw new IllegalArgumentException("bootstrap: expected a non-empty training set, got " + n + " samples");
        }
        int[] idx = new int[n];
        for (int j = 0; j < n; j++) {
            idx[j] = rng.nextInt(n);
        }
        return idx;
    }

    /** Member k's bootstrap sample of {@code train} (a view: the features are not copied for in-memory sets). */
    public static ArrayDataset bootstrap(Dataset train, Rng root, int k) {
        ArrayDataset all = ArrayDataset.copyOf(train);
        return all.subset(bootstrapIndices(all.size(), memberRng(root, k)));
    }
}
