package dev.myelin.train;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * {@link Replicas} as threads of one process, for tests: each operation posts this replica's
 * array, waits for all, and adds them up in rank order (so every replica gets the same bits).
 */
final class ThreadReplicas implements Replicas {
    /** What the replicas of one group share. */
    static final class Group {
        final int size;
        final CyclicBarrier barrier;
        final Object[] posted;

        Group(int size) {
            this.size = size;
            this.barrier = new CyclicBarrier(size);
            this.posted = new Object[size];
        }
    }

    private final Group group;
    private final int rank;

    ThreadReplicas(Group group, int rank) {
        this.group = group;
        this.rank = rank;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return group.size;
    }

    @Override
    public void sum(float[] data, int offset, int length) {
        float[] mine = java.util.Arrays.copyOfRange(data, offset, offset + length);
        group.posted[rank] = mine;
        await();
        for (int i = 0; i < length; i++) {
            float s = 0;
            for (int r = 0; r < group.size; r++) {
                s += ((float[]) group.posted[r])[i];
            }
            data[offset + i] = s;
        }
        await();
    }

    @Override
    public void sum(double[] data) {
        group.posted[rank] = data.clone();
        await();
        for (int i = 0; i < data.length; i++) {
            double s = 0;
            for (int r = 0; r < group.size; r++) {
                s += ((double[]) group.posted[r])[i];
            }
            data[i] = s;
        }
        await();
    }

    @Override
    public void broadcast(float[] data, int offset, int length) {
        if (rank == 0) {
            group.posted[0] = java.util.Arrays.copyOfRange(data, offset, offset + length);
        }
        await();
        System.arraycopy((float[]) group.posted[0], 0, data, offset, length);
        await();
    }

    private void await() {
        try {
            group.barrier.await();
        } catch (InterruptedException | BrokenBarrierException e) {
            throw new IllegalStateException("a replica failed", e);
        }
    }
}
