package dev.myelin.train.regularize;

import dev.myelin.tensor.Tensor;
import java.util.function.DoubleUnaryOperator;

/** Per-unit rescaling of a parameter: each slice along dim 0 (a unit's incoming weights) scaled by a function of its L2 norm. */
final class UnitRows {
    private UnitRows() {
    }

    /** w_u ← w_u · factor(‖w_u‖₂) for every unit u (rank 1: the whole vector is one unit). */
    static void rescale(Tensor w, DoubleUnaryOperator factor) {
        float[] d = w.data();
        int units = w.dim() >= 2 ? w.size(0) : 1;
        int len = d.length / Math.max(1, units);
        for (int u = 0; u < units; u++) {
            double sq = 0;
            for (int i = u * len; i < (u + 1) * len; i++) {
                sq += (double) d[i] * d[i];
            }
            float f = (float) factor.applyAsDouble(Math.sqrt(sq));
            if (f != 1f) {
                for (int i = u * len; i < (u + 1) * len; i++) {
                    d[i] *= f;
                }
            }
        }
    }
}
