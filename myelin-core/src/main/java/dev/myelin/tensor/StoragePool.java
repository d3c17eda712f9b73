package dev.myelin.tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Storage reused from one training step to the next, so that a step in steady state allocates
 * no activation-sized arrays: the role of PyTorch's caching allocator (a freed block goes back
 * to a free list by size and serves the next request of that size).
 *
 * <p>Java frees by garbage collection, so the pool must know when an array is dead. It does only
 * within a {@link Scope}, opened by the thread that runs one step:
 * <pre>
 * try (StoragePool.Scope s = pool.open()) { forward; backward; optimizer step; metrics }
 * </pre>
 * Inside a scope, every array of at least {@link #MIN_LENGTH} floats that an operation allocates
 * is leased, and the pool counts the tensors created over it (views share storage). An array goes
 * back to the free list when every one of its tensors is released, and a tensor is released only
 * where the engine knows it is dead:
 * <ul>
 *   <li>a gradient computed by a backward pass without {@code createGraph}, once the rule that
 *       consumed it has run and no other gradient refers to it ({@link Autograd});</li>
 *   <li>at {@link Scope#close()}: every tensor an operation recorded in the graph during the
 *       scope, and the step-local tensors that operations saved for their backward (masks,
 *       normalized inputs); in an evaluation scope ({@link #openEvaluation()}) also every
 *       operation's output computed without grad mode.</li>
 * </ul>
 * A tensor created otherwise (a leaf's {@code .grad}, an optimizer's state, running statistics,
 * a {@link Tensor#detach()} of a graph tensor) holds its array, so the array is never reused.
 * The contract for code that runs inside a scope is PyTorch's for saved tensors after
 * {@code backward()}: a tensor recorded in the graph does not outlive the step; keep a
 * {@code detach()} or a {@code copy()} instead.
 *
 * <p>A pool serves one thread at a time (each trainer has its own); its free lists and
 * bookkeeping maps are reused from scope to scope, so opening one allocates almost nothing.
 *
 * <p>Recycled arrays are zeroed where the operation asks for zeros, so results are the same
 * bits with or without a pool. With {@code poison}, released arrays are filled with NaN first,
 * so that a read after release shows in the result (for tests).
 */
public final class StoragePool {
    /** Arrays below this many floats come from the thread's allocation buffer cheaply and are not pooled. */
    public static final int MIN_LENGTH = 512;

    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final long capacity;
    private final boolean poison;
    /** Gradient arrays this pool leased that leaves now hold as .grad (weakly: a dropped one is the collector's). */
    private final java.util.Set<float[]> gradients = java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());
    private long held;
    /** The scope now open, if any; its maps are the pool's, cleared at each close (no allocation per step). */
    private Scope open;
    private final IdentityHashMap<float[], Lease> leaseMap = new IdentityHashMap<>();
    private final IdentityHashMap<Tensor, Boolean> atCloseMap = new IdentityHashMap<>();
    private final IdentityHashMap<Tensor, Boolean> releasedMap = new IdentityHashMap<>();
    private long reused;
    private long allocated;

    /** A pool that keeps at most {@code capacityFloats} floats on its free lists. */
    public StoragePool(long capacityFloats, boolean poison) {
        if (capacityFloats < 0) {
            throw new IllegalArgumentException("StoragePool: expected a capacity >= 0, got " + capacityFloats);
        }
        this.capacity = capacityFloats;
        this.poison = poison;
    }

    /**
     * A pool of at most 64 Mi floats (256 MiB) on its free lists; the system property
     * {@code myelin.storage.poison=true} turns poisoning on (to run a test suite so).
     */
    public StoragePool() {
        this(64L << 20, Boolean.getBoolean("myelin.storage.poison"));
    }

    /** Opens a scope for one training step on this thread; one scope at a time per thread. */
    public Scope open() {
        return open(false);
    }

    /**
     * Opens a scope for one batch of evaluation: as {@link #open()}, and the outputs of operations
     * run without grad mode die with the scope too (so the model's output must be read, not
     * kept, before it closes).
     */
    public Scope openEvaluation() {
        return open(true);
    }

    private Scope open(boolean evaluation) {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("StoragePool: a scope is already open on this thread; close it first");
        }
        if (open != null) {
            throw new IllegalStateException("StoragePool: this pool has a scope open on another thread; a pool"
                    + " serves one thread at a time (give each thread its own)");
        }
        open = new Scope(evaluation);
        CURRENT.set(open);
        return open;
    }

    /** True when a scope of any pool is open on this thread. */
    public static boolean scopeOpen() {
        return CURRENT.get() != null;
    }

    /** Floats now on the free lists. */
    public long freeFloats() {
        return held;
    }

    /** Floats served from the free lists so far. */
    public long reusedFloats() {
        return reused;
    }

    /** Floats allocated afresh inside scopes so far (in arrays of at least {@link #MIN_LENGTH}). */
    public long allocatedFloats() {
        return allocated;
    }

    // ---------------------------------------------------------------- engine hooks

    /** A zeroed array of n floats: recycled inside a scope when one of that length is free. */
    static float[] zeros(int n) {
        return lease(n, true);
    }

    /**
     * An array of n floats whose values are undefined (a recycled one is not zeroed): for an
     * operation that writes every element before anything reads one.
     */
    static float[] uninitialized(int n) {
        return lease(n, false);
    }

    private static float[] lease(int n, boolean zero) {
        Scope s = n >= MIN_LENGTH ? CURRENT.get() : null;
        if (s == null) {
            return new float[n];
        }
        StoragePool pool = s.pool();
        float[] a = pool.take(n);
        if (a == null) {
            a = new float[n];
            pool.allocated += n;
        } else {
            if (zero) {
                Arrays.fill(a, 0f);
            }
            pool.reused += n;
        }
        s.leases.put(a, new Lease(s.backwardRun));
        return a;
    }

    /** Counts a tensor created over {@code data}. */
    static void wrapped(float[] data) {
        Scope s = data.length >= MIN_LENGTH ? CURRENT.get() : null;
        if (s != null) {
            Lease l = s.leases.get(data);
            if (l != null) {
                l.tensors++;
            }
        }
    }

    /** Marks {@code t} dead at the end of the scope: a tensor recorded in the graph, or one saved for a backward rule. */
    static void stepLocal(Tensor t) {
        Scope s = t.data.length >= MIN_LENGTH ? CURRENT.get() : null;
        if (s != null && s.leases.containsKey(t.data)) {
            s.atClose.put(t, Boolean.TRUE);
        }
    }

    /** Marks the output of an operation run without grad mode dead at the end of an evaluation scope. */
    static void noGradOutput(Tensor t) {
        Scope s = t.data.length >= MIN_LENGTH ? CURRENT.get() : null;
        if (s != null && s.evaluation && s.leases.containsKey(t.data)) {
            s.atClose.put(t, Boolean.TRUE);
        }
    }

    /**
     * Marks {@code t} as kept beyond the scope: a leaf's gradient. Its array is never released with
     * the step; {@link Scope#recycleGradients} hands it back at the next step.
     */
    static void keep(Tensor t) {
        Scope s = t.data.length >= MIN_LENGTH ? CURRENT.get() : null;
        if (s != null) {
            s.atClose.remove(t);
            if (s.leases.remove(t.data) != null) {
                s.pool().gradients.add(t.data);
            }
        }
    }

    /** Starts a backward pass: gradients allocated from now on may be released early. */
    static void beginBackward() {
        Scope s = CURRENT.get();
        if (s != null) {
            s.backwardRun++;
        }
    }

    /** Releases a gradient the backward pass no longer refers to, if this backward pass allocated it. */
    static void releaseGradient(Tensor g) {
        Scope s = g.data.length >= MIN_LENGTH ? CURRENT.get() : null;
        if (s != null && g.gradFn == null) {
            Lease l = s.leases.get(g.data);
            if (l != null && l.backwardRun == s.backwardRun && s.backwardRun > 0
                    && s.released.put(g, Boolean.TRUE) == null) {
                s.atClose.remove(g);
                s.release(g.data, l);
            }
        }
    }

    private float[] take(int n) {
        ArrayDeque<float[]> q = free.get(n);
        float[] a = q == null ? null : q.poll();
        if (a != null) {
            held -= n;
        }
        return a;
    }

    private void give(float[] a) {
        if (held + a.length > capacity) {
            return; // the garbage collector has it
        }
        if (poison) {
            Arrays.fill(a, Float.NaN);
        }
        free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
        held += a.length;
    }

    /** An array handed out in this scope: how many tensors hold it, and which backward pass allocated it (0: none). */
    private static final class Lease {
        int tensors;
        final int backwardRun;

        Lease(int backwardRun) {
            this.backwardRun = backwardRun;
        }
    }

    /** One step's leases; closing it recycles what the step left dead. */
    public final class Scope implements AutoCloseable {
        private final IdentityHashMap<float[], Lease> leases = leaseMap;
        private final IdentityHashMap<Tensor, Boolean> atClose = atCloseMap;
        private final IdentityHashMap<Tensor, Boolean> released = releasedMap;
        private final Thread owner = Thread.currentThread();
        private final boolean evaluation;
        private int backwardRun;
        private boolean closed;

        private Scope(boolean evaluation) {
            this.evaluation = evaluation;
        }

        private StoragePool pool() {
            return StoragePool.this;
        }

        private void release(float[] data, Lease l) {
            if (--l.tensors <= 0) {
                leases.remove(data);
                give(data);
            }
        }

        /**
         * Clears the gradients of {@code params}, as {@code zero_grad(set_to_none=True)}, and hands
         * the arrays this pool leased for them back, to serve this step's new gradients: storage
         * reused as PyTorch's {@code zero_grad(set_to_none=False)} reuses it. A gradient kept from
         * an earlier step sees its values overwritten then; keep a {@code copy()} instead.
         */
        public void recycleGradients(java.util.List<Tensor> params) {
            for (Tensor p : params) {
                Tensor g = p.grad();
                if (g != null && gradients.remove(g.data)) {
                    give(g.data);
                }
                p.setGrad(null);
            }
        }

        /** Releases the step's graph and saved tensors; arrays that nothing else holds go back to the pool. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("StoragePool: a scope must be closed by the thread that opened it");
            }
            closed = true;
            for (Tensor t : atClose.keySet()) {
                Lease l = leases.get(t.data);
                if (l != null) {
                    release(t.data, l);
                }
            }
            atClose.clear();
            released.clear();
            leases.clear();
            open = null;
            CURRENT.remove();
        }
    }
}
