package dev.myelin.data;

import java.lang.ref.Cleaner;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntFunction;

/**
 * Builds the batches of one epoch on a daemon thread, at most {@code depth} ahead of the
 * consumer (a bounded queue), so assembling batch {@code k+1} overlaps training on batch
 * {@code k}.
 *
 * <p>An exception in the worker is handed through the queue and rethrown by {@link #next()} as a
 * {@link DataException} whose cause is the original exception. The worker holds no reference to
 * this iterator, only to the shared {@link Worker} state; a {@link Cleaner} cancels the worker
 * when the iterator becomes unreachable, and {@link #close()} cancels it at once.
 */
final class PrefetchingIterator implements BatchIterator {
    private static final Cleaner CLEANER = Cleaner.create();

    private sealed interface Item permits Data, End, Failure {
    }

    private record Data(Batch batch) implements Item {
    }

    private record End() implements Item {
    }

    private record Failure(int batchIndex, Throwable error) implements Item {
    }

    private final Worker worker;
    private final Cleaner.Cleanable cleanable;
    private final String description;
    private Item peeked;
    private boolean done;

    /**
     * Starts the worker thread.
     *
     * @param numBatches  how many batches the epoch has
     * @param producer    builds batch {@code k} (called on the worker thread, in order)
     * @param depth       the queue capacity, at least 1
     * @param description names the epoch in thread names and error messages, e.g. "epoch 3"
     */
    PrefetchingIterator(int numBatches, IntFunction<Batch> producer, int depth, String description) {
        this.description = description;
        this.worker = new Worker(numBatches, producer, new ArrayBlockingQueue<>(depth));
        Thread thread = new Thread(worker, "myelin-prefetch " + description);
        thread.setDaemon(true);
        worker.thread = thread;
        this.cleanable = CLEANER.register(this, worker::cancel);
        thread.start();
    }

    @Override
    public boolean hasNext() {
        if (done) {
            return false;
        }
        if (peeked == null) {
            peeked = take();
        }
        if (peeked instanceof End) {
            finish();
            return false;
        }
        return true;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("DataLoader: no more batches in " + description);
        }
        Item item = peeked;
        peeked = null;
        return switch (item) {
            case Data d -> d.batch();
            case Failure f -> {
                finish();
                throw new DataException("DataLoader: building batch " + f.batchIndex() + " of " + worker.numBatches
                        + " in " + description + " failed on the prefetch thread: " + f.error(), f.error());
            }
            case End e -> throw new IllegalStateException("unreachable: End is consumed by hasNext");
        };
    }

    @Override
    public void close() {
        finish();
    }

    /** The worker thread, for tests that check it stops. */
    Thread workerThread() {
        return worker.thread;
    }

    private void finish() {
        done = true;
        peeked = null;
        cleanable.clean();
    }

    private Item take() {
        try {
            return worker.queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish();
            throw new DataException("DataLoader: interrupted while waiting for the next batch of " + description, e);
        }
    }

    /** The worker's state; it must not reference the iterator, or the Cleaner could never run. */
    private static final class Worker implements Runnable {
        final int numBatches;
        final IntFunction<Batch> producer;
        final BlockingQueue<Item> queue;
        volatile Thread thread;
        volatile boolean cancelled;

        Worker(int numBatches, IntFunction<Batch> producer, BlockingQueue<Item> queue) {
            this.numBatches = numBatches;
            this.producer = producer;
            this.queue = queue;
        }

        @Override
        public void run() {
            try {
                for (int k = 0; k < numBatches && !cancelled; k++) {
                    Batch b;
                    try {
                        b = producer.apply(k);
                    } catch (Throwable t) { // handed to the consumer, who sees it with its cause
                        queue.put(new Failure(k, t));
                        return;
                    }
                    queue.put(new Data(b));
                }
                queue.put(new End());
            } catch (InterruptedException e) {
                // cancelled while waiting for room in the queue: the consumer has gone
            }
        }

        void cancel() {
            cancelled = true;
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
            queue.clear(); // let the batches already built be collected
        }
    }
}
