package dev.myelin.cli.run;

import dev.myelin.cli.config.DataConfig;
import dev.myelin.model.bind.Source;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * A {@code data.dir} on another file system ({@code hdfs://}, {@code s3a://}): a Spark task
 * copies it to a local folder through Hadoop's file system (the cluster provides it) and
 * {@link PreparedData#load} reads that copy, while the run's {@code config.yaml} keeps the
 * remote name. Outside such a task a remote folder is refused with what to do.
 */
public final class RemoteData {
    private static final ThreadLocal<Function<String, Path>> COPIER = new ThreadLocal<>();

    private RemoteData() {
    }

    /** Runs {@code body} with {@code copier} (remote folder to its local copy) for this thread's data. */
    public static <T> T run(Function<String, Path> copier, Callable<T> body) throws Exception {
        Function<String, Path> before = COPIER.get();
        COPIER.set(copier);
        try {
            return body.call();
        } finally {
            COPIER.set(before);
        }
    }

    /** {@code d}, its remote folder replaced by the local copy; {@code d} itself when its folder is local. */
    static DataConfig local(DataConfig d, Source source) {
        if (!DataConfig.isRemote(d.dir())) {
            return d;
        }
        Function<String, Path> copier = COPIER.get();
        if (copier == null) {
            throw new UserException(source.label() + ": data.dir " + d.dir() + ": a folder on another file system is"
                    + " read by `--spark` runs only (each executor copies it through Hadoop's file system); copy it to"
                    + " a local folder, or train with --spark");
        }
        return d.withDir(copier.apply(d.dir()).toString());
    }
}
