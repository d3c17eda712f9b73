package dev.myelin.cli;

import dev.myelin.cli.report.Chart;
import dev.myelin.cli.run.UserException;
import dev.myelin.cli.search.SearchRun;
import dev.myelin.cli.search.TrialLauncher;
import dev.myelin.kernel.Parallel;
import dev.myelin.search.Search;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code myelin search CONFIG}: the hyperparameter search the config's {@code search:} section
 * describes ({@link SearchRun}), trials trained as {@code myelin train} trains them.
 */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Searches hyperparameters: the config's search section gives the strategy (grid, random,%n"
                + "successive_halving, asha), the metric and the space; each trial is a run folder under trials/.%n"
                + "Writes results.csv, best.yaml, search.png, report.html and journal.jsonl (for --resume).",
        footer = {"%nExample: myelin search examples/search-fashion.yaml --parallel 2"})
final class SearchCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "A config with a search section.")
    private Path config;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continues the search in DIR after a kill: finished trials are not trained again.")
    private Path resume;

    @Option(names = "--parallel", paramLabel = "K", defaultValue = "1",
            description = "Trials trained at once (default 1); the threads are split between them.")
    private int parallel;

    @Option(names = "--spark", paramLabel = "MASTER", arity = "0..1", fallbackValue = "",
            description = "Trains the trials as Spark tasks (local[N], spark://HOST:PORT; alone, the master spark-submit"
                    + " set), --parallel at a time; the same results as here for the same --parallel and --threads.")
    private String spark;

    @Option(names = "--out", paramLabel = "DIR", description = "The search folder (default: runs/<config>-search-<time>).")
    private Path out;

    @Mixin
    private ConfigOverrides overrides;

    @Override
    public Integer call() throws Exception {
        if (parallel < 1) {
            throw new UserException("--parallel: expected at least 1 trial at a time, found " + parallel);
        }
        common.applyThreads();
        SearchRun run;
        if (resume != null) {
            if (config != null || out != null || !overrides.sets.isEmpty() || overrides.data != null) {
                throw new UserException("--resume " + resume + ": continues the search as it was; leave out CONFIG, --out,"
                        + " --set and --data");
            }
            run = SearchRun.resume(resume);
        } else {
            if (config == null) {
                throw new UserException("expected a CONFIG with a search section, e.g. `myelin search"
                        + " examples/search-fashion.yaml`, or --resume DIR");
            }
            Path dir = out != null ? out : Path.of("runs", dev.myelin.cli.config.ConfigLoader.runName(config)
                    + "-search-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            if (java.nio.file.Files.exists(dir.resolve(SearchRun.JOURNAL))) {
                throw new UserException("--out " + dir + ": expected a new or empty folder, found an earlier search ("
                        + dir.resolve(SearchRun.JOURNAL) + "); choose another folder, or continue it with `myelin search"
                        + " --resume " + dir + "`");
            }
            run = SearchRun.prepare(config, overrides.sets, overrides.data, dir);
        }
        int threads = Math.max(1, Parallel.threads() / parallel);
        Search.Options o = run.search().options();
        main.out().printf(Locale.ROOT, "search into %s: %d trials, %s, %s %s; %d at a time, %d thread%s each%n",
                run.dir(), Search.trials(o).size(), describe(o), o.maximize() ? "maximizing" : "minimizing",
                run.search().metric(), parallel, threads, threads == 1 ? "" : "s");
        Search.Outcome outcome;
        if (spark == null) {
            outcome = run.run(parallel, threads, main.out());
        } else {
            try (TrialLauncher cluster = TrialLauncher.cluster(spark, run.dir().getFileName().toString(), main.out())) {
                outcome = run.run(parallel, threads, main.out(), cluster);
            }
        }
        Search.Evaluation best = outcome.best();
        main.out().printf(Locale.ROOT, "best: trial %s, %s %.4f after %d epochs, %s%n", best.trial().name(),
                run.search().metric(), best.metric(), best.budget(), best.trial().params());
        main.out().println("best config: " + run.dir().resolve(SearchRun.BEST) + " (myelin train trains it alone)");
        main.out().println("results: " + run.dir().resolve(SearchRun.RESULTS) + ", chart " + run.dir().resolve(
                SearchRun.CHART) + ", report " + run.dir().resolve("report.html"));
        Chart.warnUndrawn(main.err(), "the search's results, best.yaml and report.html are complete");
        return 0;
    }

    private static String describe(Search.Options o) {
        var rungs = Search.rungs(o);
        if (rungs.size() == 1) {
            return (o.strategy() instanceof dev.myelin.search.Strategy.Grid ? "grid" : "random") + ", "
                    + rungs.get(0).budget() + " epochs each";
        }
        StringBuilder sb = new StringBuilder(o.strategy() instanceof dev.myelin.search.Strategy.Asha ? "ASHA:"
                : "successive halving:");
        rungs.forEach(r -> sb.append(' ').append(r.trials()).append('x').append(r.budget()));
        return sb.append(" (trials x epochs per rung)").toString();
    }
}
