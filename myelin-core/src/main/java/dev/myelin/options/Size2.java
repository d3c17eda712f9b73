package dev.myelin.options;

/**
 * A size per spatial axis, (height, width), as PyTorch's {@code int or tuple} arguments
 * ({@code kernel_size=3} or {@code kernel_size=(3, 1)}). A config writes it as one integer for
 * both axes or as a list {@code [height, width]}.
 */
public record Size2(int h, int w) {
    /** The same size on both axes. */
    public static Size2 of(int both) {
        return new Size2(both, both);
    }

    /** Both sides {@code >= min}, else an {@link OptionException} for {@code key}. */
    public Size2 atLeast(String key, int min) {
        if (h < min || w < min) {
            throw new OptionException(key, "an integer >= " + min + " or a list [height, width] of them", toString());
        }
        return this;
    }

    @Override
    public String toString() {
        return h == w ? Integer.toString(h) : "[" + h + ", " + w + "]";
    }
}
