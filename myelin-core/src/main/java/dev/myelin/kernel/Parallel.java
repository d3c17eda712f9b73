package dev.myelin.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * The process's one compute pool, sized to the cores (or {@code -Dmyelin.threads=N} /
 * {@code MYELIN_THREADS}), so nothing oversubscribes. Work is split into a fixed number of
 * chunks that depends only on the size of the work and the thread count, so results are
 * identical run to run for the same thread count.
 */
public final class Parallel {
    private static volatile int threads = initialThreads();
    private static volatile ForkJoinPool pool = newPool(threads);
    /** True on a thread while it runs a task of {@link #forEach}, so nested calls run inline. */
    private static final ThreadLocal<Boolean> IN_TASK = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Parallel() {
    }

    private static int initialThreads() {
        String p = System.getProperty("myelin.threads");
        if (p == null) {
            p = System.getenv("MYELIN_THREADS");
        }
        if (p != null && !p.isBlank()) {
            try {
                int t = Integer.parseInt(p.trim());
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the core count; a bad value is reported by the CLI
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static ForkJoinPool newPool(int n) {
        // The calling thread works too, so the pool needs one worker fewer than the thread count.
        return n <= 1 ? null : new ForkJoinPool(n - 1);
    }

    /** The number of threads compute kernels use. */
    public static int threads() {
        return threads;
    }

    /** Changes the thread count (tests and benchmarks); replaces the pool. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads: expected >= 1, got " + n);
        }
        ForkJoinPool old = pool;
        threads = n;
        pool = newPool(n);
        if (old != null) {
            old.shutdown();
        }
    }

    /**
     * Runs {@code body.accept(i)} for i in [0, tasks), on the pool when there is more than one
     * task and more than one thread, otherwise inline. Returns when all tasks are done. A call
     * made from inside a task (a convolution split over the batch calling the GEMM per sample)
     * runs inline on that task's thread: the outer split already occupies every thread.
     */
    public static void forEach(int tasks, IntConsumer body) {
        ForkJoinPool p = pool;
        if (tasks <= 1 || p == null || ForkJoinTask.inForkJoinPool() || IN_TASK.get()) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        ForkJoinTask<?>[] fs = new ForkJoinTask<?>[tasks - 1];
        for (int i = 1; i < tasks; i++) {
            final int t = i;
            fs[i - 1] = p.submit(() -> body.accept(t));
        }
        IN_TASK.set(Boolean.TRUE);
        try {
            body.accept(0);
        } finally {
            IN_TASK.set(Boolean.FALSE);
        }
        for (ForkJoinTask<?> f : fs) {
            f.join();
        }
    }

    /**
     * Splits [0, n) into contiguous ranges of at least {@code grain} elements, at most one per
     * thread, and runs {@code body.accept(from, to)} on each.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int chunks = Math.max(1, Math.min(threads, n / Math.max(1, grain)));
        if (chunks == 1) {
            body.accept(0, n);
            return;
        }
        forEach(chunks, c -> body.accept((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
    }

    /** A loop body over a half-open range. */
    @FunctionalInterface
    public interface RangeBody {
        void accept(int from, int to);
    }
}
