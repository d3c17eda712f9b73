package dev.myelin.kernel;

/**
 * A strided view of a matrix stored in a {@code float[]}: element (i, j) is
 * {@code data[off + i * rs + j * cs]}. A row-major matrix with leading dimension ld is
 * {@code (ld, 1)}; its transpose, without a copy, is {@code (1, ld)}.
 */
record Strided(float[] data, int off, int rs, int cs) {

    /** The index of element (i, j) in {@link #data()}. */
    int index(int i, int j) {
        return off + i * rs + j * cs;
    }

    /** The view starting at element (i, j). */
    Strided at(int i, int j) {
        return new Strided(data, index(i, j), rs, cs);
    }

    /** The transposed view: element (i, j) of the result is element (j, i) of this. */
    Strided t() {
        return new Strided(data, off, cs, rs);
    }
}
