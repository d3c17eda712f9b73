package dev.myelin.kernel;

import jdk.incubator.vector.FloatVector;

/**
 * Horizontal sums in a fixed order. {@code reduceLanes(ADD)} may associate the lanes
 * differently in the JIT's intrinsic and in the interpreter's fallback, so the same call could
 * round differently before and after compilation; summing lane 0, 1, 2, ... keeps runs
 * bit-identical.
 */
final class Lanes {
    private Lanes() {
    }

    static float sum(FloatVector v) {
        float s = 0f;
        for (int i = 0, n = v.length(); i < n; i++) {
            s += v.lane(i);
        }
        return s;
    }
}
