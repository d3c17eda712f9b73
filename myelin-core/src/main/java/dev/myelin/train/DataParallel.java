package dev.myelin.train;

import dev.myelin.nn.Module;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Synchronous data-parallel training, the one seam the {@link Trainer}'s loop has for it
 * ("Going deeper": {@code DataParallel}; PyTorch's {@code DistributedDataParallel}). Every
 * replica holds the whole model and trains on its shard of each global batch
 * ({@link dev.myelin.data.DataLoader#shard}); between backward and the optimizer step the
 * gradients are combined over the {@link Replicas}, so every replica takes the same step:
 * <pre>
 * g = Σ_r (n_r / n) · g_r        (n_r: replica r's share of the global batch of n samples)
 * </pre>
 * which is the gradient of the mean loss over the whole global batch, as one process computes
 * it (up to the order of the additions). Penalties in the objective are scaled the same way, so
 * they count once.
 *
 * <p>What else is combined, so that all replicas make the same decisions:
 * <ul>
 * <li>each step, the batch's loss, penalty, correct predictions and sample count (4 doubles):
 *     the loss that is reported and checked for NaN is the global batch's;</li>
 * <li>at the start, rank 0's parameters and buffers are copied to all (as DDP does when it is
 *     built);</li>
 * <li>at each epoch's end, before validation, rank 0's buffers (batch norm's running
 *     statistics) are copied to all, as DDP's {@code broadcast_buffers} does. During an epoch
 *     each replica normalizes with its own shard's batch statistics (per-replica BN, DDP's
 *     default); the running statistics are used only in evaluation, so only rank 0's ever
 *     matter.</li>
 * </ul>
 *
 * <p>Local SGD ({@code syncEvery = K > 1}, Lin et al. 2020, "Don't Use Large Mini-Batches, Use
 * Local SGD"): no gradient is sent; each replica steps on its own shard's gradient, and every
 * {@code K} steps (and at each epoch's end) the parameters are averaged, {@code w = Σ_r w_r / R}.
 * The optimizer's state (momentum, Adam's moments) stays per replica. Communication falls by a
 * factor {@code K}; the steps between averages are noisier (each sees {@code n/R} samples).
 *
 * <p>With one replica every operation returns at once and nothing is scaled: training is bit
 * for bit that of a plain {@link Trainer}.
 */
public final class DataParallel {
    private final Replicas replicas;
    private final int syncEvery;
    private float[] buffer = new float[0];
    private long communicationNanos;
    private long floatsReduced;

    /**
     * @param replicas  the transport
     * @param syncEvery 1: the gradients are summed every step (synchronous SGD); K &gt; 1: local
     *                  SGD, the parameters are averaged every K steps
     */
    public DataParallel(Replicas replicas, int syncEvery) {
        if (replicas == null) {
            throw new IllegalArgumentException("DataParallel: expected the replicas, received null");
        }
        if (syncEvery < 1) {
            throw new IllegalArgumentException("DataParallel: expected sync_every >= 1 (1 = every step), received "
                    + syncEvery);
        }
        this.replicas = replicas;
        this.syncEvery = syncEvery;
    }

    public int rank() {
        return replicas.rank();
    }

    public int size() {
        return replicas.size();
    }

    public int syncEvery() {
        return syncEvery;
    }

    /** Seconds spent in collective operations so far (waiting for the slowest replica included). */
    public double communicationSeconds() {
        return communicationNanos / 1e9;
    }

    /** The floats summed so far (gradients, or parameters in local SGD): 4 bytes each on every replica. */
    public long floatsReduced() {
        return floatsReduced;
    }

    private boolean alone() {
        return replicas.size() == 1;
    }

    /** Copies rank 0's parameters and buffers to every replica. */
    void start(Module model) {
        if (!alone()) {
            broadcast(new ArrayList<>(model.stateDict().values()));
        }
    }

    /**
     * Sums {@code {loss·n, penalty·n, correct, n}} of this replica's shard over the replicas,
     * in place; unchanged with one replica.
     */
    void sumStatistics(double[] stats) {
        if (!alone()) {
            long t0 = System.nanoTime();
            replicas.sum(stats);
            communicationNanos += System.nanoTime() - t0;
        }
    }

    /**
     * Between backward and the optimizer step: every parameter's gradient becomes
     * {@code Σ_r share_r · g_r}, {@code share} being this replica's fraction of the global
     * batch. Local SGD sends nothing here.
     */
    void reduceGradients(List<Tensor> params, double share) {
        if (alone() || syncEvery > 1) {
            return;
        }
        List<Tensor> grads = new ArrayList<>(params.size());
        for (Tensor p : params) {
            if (p.grad() != null) {
                grads.add(p.grad());
            }
        }
        float[] flat = pack(grads);
        float s = (float) share;
        int n = length(grads);
        for (int i = 0; i < n; i++) {
            flat[i] *= s;
        }
        sum(flat, n);
        unpack(grads, flat);
    }

    /** After optimizer step number {@code step} (counting from 1): local SGD averages every K steps. */
    void afterStep(Module model, long step) {
        if (!alone() && syncEvery > 1 && step % syncEvery == 0) {
            average(model.parameters());
        }
    }

    /** At the end of an epoch, before validation: local SGD averages; rank 0's buffers go to all. */
    void endEpoch(Module model) {
        if (alone()) {
            return;
        }
        if (syncEvery > 1) {
            average(model.parameters());
        }
        List<Tensor> buffers = new ArrayList<>(model.stateDict().values());
        buffers.removeAll(model.parameters());
        broadcast(buffers);
    }

    private void average(List<Tensor> params) {
        float[] flat = pack(params);
        int n = length(params);
        sum(flat, n);
        float r = replicas.size();
        for (int i = 0; i < n; i++) {
            flat[i] /= r;
        }
        unpack(params, flat);
    }

    private void broadcast(List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            return;
        }
        float[] flat = pack(tensors);
        long t0 = System.nanoTime();
        replicas.broadcast(flat, 0, length(tensors));
        communicationNanos += System.nanoTime() - t0;
        unpack(tensors, flat);
    }

    private void sum(float[] flat, int n) {
        long t0 = System.nanoTime();
        replicas.sum(flat, 0, n);
        communicationNanos += System.nanoTime() - t0;
        floatsReduced += n;
    }

    private static int length(List<Tensor> tensors) {
        long n = 0;
        for (Tensor t : tensors) {
            n += t.numel();
        }
        return Math.toIntExact(n);
    }

    /** The tensors' values one after another in a buffer reused from call to call. */
    private float[] pack(List<Tensor> tensors) {
        int n = length(tensors);
        if (buffer.length < n) {
            buffer = new float[n];
        }
        int at = 0;
        for (Tensor t : tensors) {
            System.arraycopy(t.data(), 0, buffer, at, t.numel());
            at += t.numel();
        }
        return buffer;
    }

    private static void unpack(List<Tensor> tensors, float[] flat) {
        int at = 0;
        for (Tensor t : tensors) {
            System.arraycopy(flat, at, t.data(), 0, t.numel());
            at += t.numel();
        }
    }
}
