package dev.myelin.cli.run;

import dev.myelin.train.Callback;
import dev.myelin.train.DataParallel;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The replica of a data-parallel run that the current thread trains as, if any: a Spark task
 * runs the ordinary {@code myelin train} inside {@link #run}, and {@link ModelTraining} then
 * trains on this replica's shard with the trainer's {@link DataParallel} seam. One thread, one
 * replica: two tasks of one executor (Spark's {@code local[2]}) train side by side.
 *
 * @param parallel the collective operations between the replicas
 * @param observers callbacks added after every other (so they see the checkpoints written), e.g.
 *                  rank 0's copying of the run folder to the Spark driver
 */
public record Replica(DataParallel parallel, List<Callback> observers) {
    private static final ThreadLocal<Replica> CURRENT = new ThreadLocal<>();

    /** Runs {@code body} on this thread as {@code replica}. */
    public static <T> T run(Replica replica, Callable<T> body) throws Exception {
        Replica before = CURRENT.get();
        CURRENT.set(replica);
        try {
            return body.call();
        } finally {
            CURRENT.set(before);
        }
    }

    /** The replica this thread trains as, or null for a plain run. */
    public static Replica current() {
        return CURRENT.get();
    }
}
