package dev.myelin.kernel;

/**
 * The pooling windows along one spatial axis: output i reads input [start[i], end[i]) (already
 * clipped to the input) and counts {@code divisor[i]} positions when averaging.
 * <pre>
 * regular (kernel k, stride s, padding p):  start = i·s − p, end = start + k, clipped to [0, size);
 *                                           out = ⌊(size + 2p − k)/s⌋ + 1
 *                                           divisor k with padding counted (count_include_pad), else end − start
 * adaptive (out given):                     start = ⌊i·size/out⌋, end = ⌈(i+1)·size/out⌉, divisor end − start
 * </pre>
 * These are PyTorch's windows ({@code avg_pool2d}, {@code max_pool2d} with ceil_mode false,
 * {@code adaptive_avg_pool2d}). A window's divisor along both axes is the product of the two.
 */
public record PoolWindows(int size, int[] start, int[] end, int[] divisor) {

    /** The number of windows, i.e. the output size along this axis. */
    public int count() {
        return start.length;
    }

    /** Windows of a kernel sliding with a stride over a zero-padded axis. */
    public static PoolWindows sliding(int size, int kernel, int stride, int padding, boolean countPadding) {
        if (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException("pooling: expected kernel >= 1, stride >= 1 and 0 <= padding <= kernel/2,"
                    + " got kernel " + kernel + ", stride " + stride + ", padding " + padding);
        }
        if (kernel > size + 2 * padding) {
            throw new IllegalArgumentException("pooling: kernel " + kernel + " is larger than the padded input "
                    + (size + 2 * padding) + " (" + size + " plus padding " + padding + " on each side)");
        }
        int out = (size + 2 * padding - kernel) / stride + 1;
        int[] s = new int[out];
        int[] e = new int[out];
        int[] d = new int[out];
        for (int i = 0; i < out; i++) {
            int lo = i * stride - padding;
            s[i] = Math.max(lo, 0);
            e[i] = Math.min(lo + kernel, size);
            d[i] = countPadding ? kernel : e[i] - s[i];
        }
        return new PoolWindows(size, s, e, d);
    }

    /** The windows of adaptive pooling to {@code out} positions. */
    public static PoolWindows adaptive(int size, int out) {
        if (out < 1) {
            throw new IllegalArgumentException("adaptive pooling: expected an output size >= 1, got " + out);
        }
        int[] s = new int[out];
        int[] e = new int[out];
        int[] d = new int[out];
        for (int i = 0; i < out; i++) {
            s[i] = (int) ((long) i * size / out);
            e[i] = (int) (((long) (i + 1) * size + out - 1) / out);
            d[i] = e[i] - s[i];
        }
        return new PoolWindows(size, s, e, d);
    }

    /** True for windows of {@code k} positions moved by k with no padding: window i is [k·i, k·i + k). */
    public boolean isPlain(int k) {
        for (int i = 0; i < count(); i++) {
            if (start[i] != k * i || end[i] != k * i + k) {
                return false;
            }
        }
        return true;
    }
}
