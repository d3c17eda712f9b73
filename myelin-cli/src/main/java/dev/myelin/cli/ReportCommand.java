package dev.myelin.cli;

import dev.myelin.cli.report.ReportPage;
import dev.myelin.cli.report.RunRecord;
import dev.myelin.cli.run.UserException;
import dev.myelin.model.bind.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code myelin report RUN...}: one HTML page that overlays the curves of several runs and
 * tables their summaries with the config keys that differ ({@link ReportPage}). A RUN is a run
 * folder, or a folder of run folders (a lab's, a search's, {@code runs/}), taken two levels deep.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compares runs in one self-contained HTML page: their curves overlaid (every epoch,%n"
                + "hover for values, click to hide), their summaries, and the config keys that differ.",
        footer = {"%nExample: myelin report runs/ --color-by optimizer.lr --out lr.html"})
final class ReportCommand implements Callable<Integer> {
    /** How deep a folder is searched for run folders. */
    static final int DEPTH = 2;

    @ParentCommand
    private Main main;

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "RUN",
            description = "A run folder (with metrics.csv), or a folder of run folders.")
    private List<Path> inputs;

    @Option(names = "--out", paramLabel = "FILE.html", defaultValue = "report.html",
            description = "The page to write (default: report.html).")
    private Path out;

    @Option(names = "--color-by", paramLabel = "KEY",
            description = "Colours the runs by a config key, e.g. optimizer.lr (numbers on a colour scale, log when"
                    + " they span a decade); the page can change it.")
    private String colorBy;

    @Option(names = "--title", paramLabel = "TEXT", description = "The page's title (default: the runs' names).")
    private String title;

    @Override
    public Integer call() throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (Path in : inputs) {
            dirs.addAll(runsIn(in));
        }
        List<Path> distinct = dirs.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
        List<RunRecord> runs = distinct.stream().map(RunRecord::read).toList();
        runs = named(runs);
        if (colorBy != null) {
            checkKey(runs);
        }
        if (Files.isDirectory(out)) {
            throw new UserException("--out " + out + ": expected a file name, found a folder; e.g. --out "
                    + out.resolve(ReportPage.FILE));
        }
        String heading = title != null ? title : runs.size() == 1 ? runs.get(0).name()
                : runs.size() + " runs: " + String.join(", ", runs.stream().limit(4).map(RunRecord::name).toList())
                + (runs.size() > 4 ? ", ..." : "");
        ReportPage.write(out, heading, runs, colorBy);
        long epochs = runs.stream().mapToLong(r -> r.column("epoch").length).sum();
        main.out().printf(Locale.ROOT, "wrote %s: %d runs, %,d epochs, %,d bytes%n", out, runs.size(), epochs,
                Files.size(out));
        return 0;
    }

    /** The run folders {@code in} names: itself, or those below it, sorted by path. */
    static List<Path> runsIn(Path in) throws IOException {
        if (!Files.isDirectory(in)) {
            throw new UserException(in + ": " + (Files.exists(in) ? "expected a run folder, found a file"
                    : "no such folder"));
        }
        if (RunRecord.isRun(in)) {
            return List.of(in);
        }
        List<Path> found;
        try (Stream<Path> s = Files.walk(in, DEPTH)) {
            found = s.filter(p -> !p.equals(in) && Files.isDirectory(p) && RunRecord.isRun(p))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        }
        if (found.isEmpty()) {
            throw new UserException(in + ": expected a run folder (one with metrics.csv, as `myelin train` writes) or"
                    + " a folder of run folders, found neither (searched " + DEPTH + " levels down)");
        }
        return found;
    }

    /** Runs whose folder names repeat (lab-a/adam, lab-b/adam) are named by their parent too. */
    private static List<RunRecord> named(List<RunRecord> runs) {
        Set<String> seen = new java.util.HashSet<>();
        Set<String> repeated = new java.util.HashSet<>();
        runs.forEach(r -> {
            if (!seen.add(r.name())) {
                repeated.add(r.name());
            }
        });
        return runs.stream().map(r -> !repeated.contains(r.name()) || r.dir().getParent() == null ? r
                : new RunRecord(r.dir(), r.dir().getParent().getFileName() + "/" + r.name(), r.metrics(),
                        r.summary(), r.config(), r.keys())).toList();
    }

    private void checkKey(List<RunRecord> runs) {
        Set<String> keys = ReportPage.keys(runs);
        if (!keys.contains(colorBy)) {
            String guess = Source.didYouMean(colorBy, keys);
            throw new UserException("--color-by " + colorBy + ": expected a config key of the runs (as in --set, e.g."
                    + " optimizer.lr), found none by that name" + (guess != null ? "; did you mean '" + guess + "'?"
                    : ""));
        }
    }
}
