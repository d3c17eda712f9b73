package dev.myelin.data;

import java.util.Iterator;

/**
 * The batches of one epoch. Closing it stops the background prefetch thread at once; an
 * iterator that is simply dropped (a {@code break} out of a for-each loop) stops its thread
 * when the garbage collector reclaims it, so neither way leaks a thread for long. Closing
 * twice, or after the last batch, does nothing.
 */
public interface BatchIterator extends Iterator<Batch>, AutoCloseable {

    /** Stops any background work for this epoch; no exception. */
    @Override
    void close();
}
