package dev.myelin.tensor;

/**
 * Walks a broadcast result row by row, giving for each row the offsets and steps (0 or 1) into
 * the two operands, so inner loops stay contiguous. A row is the last dimension merged with the
 * ones before it that both operands walk alike (a per-channel [1, C, 1, 1] operand against
 * [N, C, H, W] gives rows of H·W with step 0).
 */
final class Broadcast {
    private Broadcast() {
    }

    /** The body of a row: out[oOff + i] from a[aOff + i·aStep] and b[bOff + i·bStep], i in [0, n). */
    @FunctionalInterface
    interface RowBody {
        void row(int oOff, int aOff, int aStep, int bOff, int bStep, int n);
    }

    static void forEachRow(int[] out, int[] aShape, int[] bShape, RowBody body) {
        int r = out.length;
        if (r == 0) {
            body.row(0, 0, 0, 0, 0, 1);
            return;
        }
        int[] sa = Shapes.strides(aShape.length == r ? aShape : pad(aShape, r));
        int[] sb = Shapes.strides(bShape.length == r ? bShape : pad(bShape, r));
        int[] pa = pad(aShape, r);
        int[] pb = pad(bShape, r);
        for (int i = 0; i < r; i++) {
            if (pa[i] == 1) {
                sa[i] = 0;
            }
            if (pb[i] == 1) {
                sb[i] = 0;
            }
        }
        // Merge neighbouring dimensions that both operands walk the same way (both contiguous, or
        // both broadcast), so rows are long: [N, C, H, W] * [1, C, 1, 1] walks rows of H*W.
        int[] shape = out.clone();
        int k = r - 1;
        for (int d = r - 2; d >= 0; d--) {
            if (sa[d] == sa[k] * shape[k] && sb[d] == sb[k] * shape[k]) {
                shape[k] *= shape[d];
            } else {
                k--;
                shape[k] = shape[d];
                sa[k] = sa[d];
                sb[k] = sb[d];
            }
        }
        int m = r - k;
        walk(java.util.Arrays.copyOfRange(shape, k, r), java.util.Arrays.copyOfRange(sa, k, r),
                java.util.Arrays.copyOfRange(sb, k, r), m, body);
    }

    private static void walk(int[] out, int[] sa, int[] sb, int r, RowBody body) {
        int n = out[r - 1];
        int rows = n == 0 ? 0 : Shapes.numel(out) / n;
        int[] idx = new int[r];
        int aOff = 0;
        int bOff = 0;
        for (int row = 0; row < rows; row++) {
            body.row(row * n, aOff, sa[r - 1], bOff, sb[r - 1], n);
            for (int d = r - 2; d >= 0; d--) { // odometer over the outer dimensions
                idx[d]++;
                aOff += sa[d];
                bOff += sb[d];
                if (idx[d] < out[d]) {
                    break;
                }
                aOff -= sa[d] * idx[d];
                bOff -= sb[d] * idx[d];
                idx[d] = 0;
            }
        }
    }

    static int[] pad(int[] shape, int rank) {
        int[] p = new int[rank];
        java.util.Arrays.fill(p, 1);
        System.arraycopy(shape, 0, p, rank - shape.length, shape.length);
        return p;
    }
}
