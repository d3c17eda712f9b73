package dev.myelin.cli;

import dev.myelin.cli.run.UserException;
import dev.myelin.kernel.Parallel;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
    @Option(names = "--threads", paramLabel = "N",
            description = "Compute threads (default: the cores, or MYELIN_THREADS).")
    private Integer threads;

    @Option(names = "--debug", description = "Print stack traces of errors (or set MYELIN_DEBUG=1).")
    private boolean debug;

    void applyThreads() {
        String env = System.getenv("MYELIN_THREADS");
        if (threads == null && env != null && !env.isBlank() && !env.trim().matches("[1-9][0-9]*")) {
            throw new UserException("MYELIN_THREADS: expected a number of threads >= 1, found \"" + env
                    + "\"; unset it or use --threads N");
        }
        if (threads != null) {
            if (threads < 1) {
                throw new UserException("--threads: expected a number of threads >= 1, found " + threads);
            }
            Parallel.setThreads(threads);
        }
    }
}
