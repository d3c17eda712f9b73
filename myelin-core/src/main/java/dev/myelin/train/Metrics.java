package dev.myelin.train;

import dev.myelin.data.DataLoader;
import dev.myelin.tensor.Tensor;

/** Accuracy counting for classification outputs. */
final class Metrics {
    private Metrics() {
    }

    /** True when the data set has classes (accuracy is meaningful). */
    static boolean isClassification(DataLoader data) {
        return data.dataset().numClasses() > 0;
    }

    /**
     * Correct predictions in a batch: argmax of logits [N, C] for C &gt; 1, or logit &gt; 0 for a
     * single output; 0 when the targets are not class indices.
     */
    static long correct(Tensor out, Tensor y) {
        float[] o = out.data();
        float[] t = y.data();
        int n = t.length;
        if (n == 0 || o.length % n != 0) {
            return 0;
        }
        int c = o.length / n;
        long hits = 0;
        for (int i = 0; i < n; i++) {
            int pred;
            if (c == 1) {
                pred = o[i] > 0 ? 1 : 0;
            } else {
                pred = 0;
                for (int j = 1; j < c; j++) {
                    if (o[i * c + j] > o[i * c + pred]) {
                        pred = j;
                    }
                }
            }
            if (pred == t[i]) {
                hits++;
            }
        }
        return hits;
    }
}
