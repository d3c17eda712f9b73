package dev.myelin.cli;

import dev.myelin.io.Version;
import dev.myelin.cli.run.UserException;
import dev.myelin.model.bind.ConfigException;
import dev.myelin.model.bind.Source;
import dev.myelin.data.DataException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code myelin} command. Every error ends here: a user error (bad config, missing data,
 * unreadable checkpoint, invalid argument) prints {@code myelin: error: MESSAGE} and exits with
 * 2; anything else is a bug and exits with 1. Stack traces only with {@code --debug} or
 * {@code MYELIN_DEBUG=1}.
 *
 * <p>Exit codes: 0 success, 1 internal error, 2 user error (also bad command-line usage),
 * 3 training diverged (loss NaN or infinite).
 */
@Command(name = "myelin", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, SummaryCommand.class,
                GraphCommand.class, ReportCommand.class, SearchCommand.class, AugmentCommand.class, LabCommand.class,
                CommandLine.HelpCommand.class},
        description = "Trains, evaluates and predicts with deep neural networks on the JVM.",
        footer = {"%nExit codes: 0 success, 1 internal error, 2 user error, 3 training diverged.",
                "Data: $MYELIN_DATA or /usr/share/datasets/fashion-mnist (apt-get install -y dataset-fashion-mnist)."})
public final class Main implements Callable<Integer> {
    static final int INTERNAL = 1;
    public static final int USER = 2;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean console;

    @Spec
    private CommandSpec spec;

    private Main(PrintStream out, PrintStream err, boolean console) {
        this.out = out;
        this.err = err;
        this.console = console;
    }

    public static void main(String[] args) {
        if ("1".equals(System.getenv("MYELIN_EXIT_WITH_PARENT"))) {
            exitWithParent();
        }
        System.exit(run(System.out, System.err, args));
    }

    /**
     * For a search's trial process: halts when standard input ends, which is when the search that
     * started it ends, also by {@code kill -9} (the trial's checkpoint lets a resumed search go on).
     */
    private static void exitWithParent() {
        Thread t = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent writes nothing; read until it is gone
                }
            } catch (IOException ignored) {
                // the same: the pipe is gone
            }
            Runtime.getRuntime().halt(137);
        }, "myelin-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    /** Runs the command line {@code args} with the given streams and returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        boolean debug = Arrays.asList(args).contains("--debug") || "1".equals(System.getenv("MYELIN_DEBUG"));
        CommandLine cl = commandLine(out, err);
        cl.setParameterExceptionHandler((ex, args2) -> {
            err.println("myelin: error: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return USER;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex, err, debug));
        String unknown = unknownCommand(cl, args);
        if (unknown != null) {
            err.println("myelin: error: " + unknown);
            err.println("Try 'myelin --help' for the list of commands.");
            return USER;
        }
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            return report(e, err, debug);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The message for a first word that names no command ({@code myelin trian}, or {@code myelin search --help},
     * which picocli would answer with the top-level help and exit 0), or null when it names one.
     */
    static String unknownCommand(CommandLine cl, String... args) {
        String word = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
        if (word == null || cl.getSubcommands().containsKey(word)) {
            return null;
        }
        String guess = Source.didYouMean(word, cl.getSubcommands().keySet());
        return "unknown command '" + word + "'" + (guess != null ? "; did you mean '" + guess + "'?" : ".")
                + " The commands are " + String.join(", ", cl.getSubcommands().keySet()) + ".";
    }

    /** The command line, its subcommands and their options, printing to {@code out} and {@code err}. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main(out, err, out == System.out));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setUsageHelpWidth(100);
        return cl;
    }

    /** Prints {@code t} as the user should see it and returns the exit code. */
    static int report(Throwable t, PrintStream err, boolean debug) {
        Throwable e = unwrap(t);
        if (debug) {
            t.printStackTrace(err);
        }
        if (e instanceof OutOfMemoryError) {
            err.println("myelin: error: out of memory (" + e.getMessage() + ") in a heap of "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB (bin/myelin gives Java half of this"
                    + " machine's memory); give it more, e.g. MYELIN_JAVA_OPTS=-Xmx16g bin/myelin ..., or lower"
                    + " batch_size or data.train_limit");
            return USER;
        }
        if (isUserError(e)) {
            err.println("myelin: error: " + message(e));
            return USER;
        }
        err.println("myelin: internal error: " + e + (debug ? "" : "\nThis is a bug; run again with --debug for the"
                + " stack trace and report it."));
        return INTERNAL;
    }

    private static boolean isUserError(Throwable e) {
        return e instanceof ConfigException || e instanceof DataException || e instanceof UserException
                || e instanceof IOException || e instanceof IllegalArgumentException;
    }

    private static String message(Throwable e) {
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName());
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** Finds the real error inside wrappers (unchecked I/O, futures, the data loader's prefetch thread). */
    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while (e.getCause() != null && (e instanceof UncheckedIOException || e instanceof ExecutionException
                || e instanceof CompletionException || e.getClass() == RuntimeException.class)) {
            if (e instanceof UncheckedIOException && e.getMessage() != null && !(e.getCause() instanceof
                    dev.myelin.io.CheckpointException)) {
                // Our own UncheckedIOExceptions carry a message that names the file and the action.
                return new IOException(e.getMessage(), e.getCause());
            }
            e = e.getCause();
        }
        return e;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** True when output goes to the process's standard output (a progress bar may redraw in place). */
    boolean isConsole() {
        return console;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(err);
        return USER;
    }

    /** {@code myelin --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"myelin " + Version.get(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
