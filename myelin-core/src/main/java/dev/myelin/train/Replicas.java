package dev.myelin.train;

/**
 * The replicas of one data-parallel training run and the collective operations between them:
 * what {@link DataParallel} needs from a transport (a ring of sockets between Spark tasks, or
 * threads in one process). Every replica calls the same operations in the same order, with
 * arrays of the same length; each call returns when its result is complete on this replica.
 *
 * <p>Determinism: an implementation adds the replicas' values in an order fixed by the ranks
 * alone (never by arrival), so the same inputs give the same bits on every run, and every
 * replica ends with the same bits.
 */
public interface Replicas {
    /** This replica's index, {@code 0 <= rank < size}. */
    int rank();

    /** The number of replicas. */
    int size();

    /** Replaces {@code data[offset .. offset+length)} on every replica with its sum over the replicas. */
    void sum(float[] data, int offset, int length);

    /** Replaces every element of {@code data} on every replica with its sum over the replicas. */
    void sum(double[] data);

    /** Copies rank 0's {@code data[offset .. offset+length)} into every other replica's. */
    void broadcast(float[] data, int offset, int length);
}
