package dev.myelin.tensor;

/**
 * Whether operations record the graph for backpropagation, per thread. Inference, optimizer
 * updates and running-statistics updates run inside {@link #noGrad()}:
 * <pre>try (var scope = GradMode.noGrad()) { ... }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() {
    }

    /** True when new operations record their backward rule. */
    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Disables recording until the returned scope is closed, then restores the previous mode. */
    public static Scope noGrad() {
        return set(false);
    }

    /** Enables recording until the returned scope is closed (used for createGraph backward). */
    public static Scope enableGrad() {
        return set(true);
    }

    private static Scope set(boolean enabled) {
        boolean previous = ENABLED.get();
        ENABLED.set(enabled);
        return () -> ENABLED.set(previous);
    }

    /** A scope that restores the previous grad mode when closed. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
