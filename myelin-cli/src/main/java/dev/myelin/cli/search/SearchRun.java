package dev.myelin.cli.search;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.report.ReportPage;
import dev.myelin.cli.report.RunRecord;
import dev.myelin.cli.run.RunLock;
import dev.myelin.cli.run.UserException;
import dev.myelin.model.bind.Source;
import dev.myelin.search.Journal;
import dev.myelin.search.Parameter;
import dev.myelin.search.Search;
import dev.myelin.search.SearchSpace;
import dev.myelin.search.Strategy;
import dev.myelin.search.Trial;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code myelin search} in its folder: {@code search.yaml} (the resolved config with its
 * {@code search:} section, what {@code --resume} reads), {@code trials/NNNN.yaml} (each trial's
 * whole config) and {@code trials/NNNN/} (its run folder), {@code journal.jsonl}, and at the end
 * {@code results.csv}, {@code best.yaml}, {@code search.png} and {@code report.html}.
 */
public final class SearchRun {
    public static final String CONFIG = "search.yaml";
    public static final String JOURNAL = "journal.jsonl";
    public static final String RESULTS = "results.csv";
    public static final String BEST = "best.yaml";
    public static final String CHART = "search.png";
    private static final YAMLMapper YAML = new YAMLMapper();

    private final Path dir;
    private final Path file;
    private final ObjectNode base;
    private final SearchConfig search;
    private final String name;

    private SearchRun(Path dir, Path file, ObjectNode base, SearchConfig search, String name) {
        this.dir = dir;
        this.file = file;
        this.base = base;
        this.search = search;
        this.name = name;
    }

    /**
     * Reads {@code config} (with {@code sets} and {@code data} applied) for a search into
     * {@code dir}: the config without its search section must be a config that trains, and the
     * metric must be one the runs measure.
     */
    public static SearchRun prepare(Path config, List<String> sets, Path data, Path dir) {
        ObjectNode tree = ConfigLoader.tree(config);
        Source src = new Source(config.toString());
        ObjectNode holder = YAML.createObjectNode();
        if (tree.has("search")) {
            holder.set("search", tree.remove("search"));
        }
        List<String> baseSets = new ArrayList<>();
        for (String set : sets) {
            if (set.strip().startsWith("search.")) {
                ConfigLoader.override(holder, set, src); // --set search.trials=32 changes the search section
            } else {
                baseSets.add(set);
            }
        }
        var searchNode = holder.get("search");
        String name = dir.equals(config.getParent()) ? dir.toAbsolutePath().normalize().getFileName().toString()
                : ConfigLoader.runName(config);
        RunConfig resolved = ConfigLoader.load(config, name, tree, baseSets, data);
        SearchConfig sc = SearchConfig.parse(src, searchNode, resolved.epochs(), resolved.seed());
        if (sc.metric().startsWith("val_") && resolved.data().validation() <= 0) {
            throw new UserException(config + ": search.metric " + sc.metric() + " is measured on a validation split,"
                    + " and data.validation is 0. Add one, e.g. data: {validation: 0.1}: a search judged on the test"
                    + " data would choose for the test set (the lecture: judge on validation data, never on test data)");
        }
        ObjectNode resolvedTree = (ObjectNode) resolved.toTree();
        ObjectNode own = tree.deepCopy();
        baseSets.forEach(set -> ConfigLoader.override(own, set, src));
        keepOwnSections(resolvedTree, own, sc.options().space());
        resolvedTree.set("search", searchNode);
        return new SearchRun(dir, config, resolvedTree, sc, name);
    }

    /**
     * A searched {@code optimizer.name} (or any {@code SECTION.name}) picks another kind, whose keys
     * differ from the resolved section's defaults (Adam's {@code betas} are no key of SGD): the
     * trials start from the config's own section instead, so each kind brings its own defaults.
     */
    static void keepOwnSections(ObjectNode resolved, ObjectNode own, SearchSpace space) {
        for (Parameter p : space.parameters()) {
            String key = p.key();
            if (!key.endsWith(".name") || key.contains("[")) {
                continue;
            }
            JsonPointer section = JsonPointer.compile("/" + key.substring(0, key.length() - ".name".length())
                    .replace('.', '/'));
            if (resolved.at(section.head()) instanceof ObjectNode parent) {
                String field = section.last().getMatchingProperty();
                if (own.at(section) instanceof ObjectNode mine) {
                    parent.set(field, mine.deepCopy());
                } else {
                    parent.remove(field);
                }
            }
        }
    }

    /** The search in {@code dir}, to continue it. */
    public static SearchRun resume(Path dir) {
        Path cfg = dir.resolve(CONFIG);
        if (!Files.isRegularFile(cfg)) {
            throw new UserException("--resume " + dir + ": expected a search folder written by `myelin search`, found "
                    + (Files.isDirectory(dir) ? "no " + CONFIG + " in it" : "no such folder"));
        }
        return prepare(cfg, List.of(), null, dir);
    }

    public SearchConfig search() {
        return search;
    }

    /**
     * Writes the search's config and every trial's config; fails on a trial the config cannot take,
     * and refuses to change the config of a trial that {@code journal} has started: search.yaml
     * edited between a kill and {@code --resume} would mix two searches.
     */
    void writeConfigs(Journal journal) throws IOException {
        Files.createDirectories(dir.resolve("trials"));
        if (!dir.resolve(CONFIG).toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize())) {
            Files.writeString(dir.resolve(CONFIG), YAML.writeValueAsString(base));
        }
        ObjectNode plain = base.deepCopy();
        plain.remove("search");
        int first = Search.rungs(search.options()).get(0).budget();
        for (Trial t : Search.trials(search.options())) {
            List<String> sets = new ArrayList<>();
            t.params().forEach((k, v) -> sets.add(SearchConfig.assignment(k, v)));
            sets.add("epochs=" + first);
            RunConfig c = ConfigLoader.load(dir.resolve(CONFIG), "trial-" + t.name(), plain, sets, null);
            Path file = TrialRunner.config(dir, t);
            String yaml = ConfigLoader.toYaml(c);
            if (journal.hasStarted(t.id()) && Files.isRegularFile(file)
                    && !Files.readString(file).equals(yaml)) {
                throw new UserException(dir.resolve(CONFIG) + ": trial " + t.name() + " started with the config in "
                        + file + ", and " + CONFIG + " now gives it another. The config changed since the search"
                        + " started; restore it, or start a new search folder");
            }
            Files.writeString(file, yaml);
        }
    }

    /** Runs (the rest of) the search {@code parallel} trials at a time, each on {@code threads} threads. */
    public Search.Outcome run(int parallel, int threads, PrintStream out) throws Exception {
        return run(parallel, threads, out, new TrialRunner.Processes(parallel));
    }

    /** As {@link #run(int, int, PrintStream)}, each trial trained by {@code launcher} (a cluster's). */
    public Search.Outcome run(int parallel, int threads, PrintStream out, TrialLauncher launcher) throws Exception {
        try (RunLock lock = RunLock.acquire(Files.createDirectories(dir))) {
            Journal journal = Journal.open(dir.resolve(JOURNAL));
            writeConfigs(journal);
            List<Strategy.Rung> rungs = Search.rungs(search.options());
            ProgressLine progress = new ProgressLine(out, search.metric(), rungs);
            Search.Outcome o = Search.run(search.options(), new TrialRunner(dir, search.metric(), threads, launcher),
                    parallel, journal, progress);
            writeResults(o);
            return o;
        }
    }

    private void writeResults(Search.Outcome o) throws IOException {
        List<String> keys = search.options().space().parameters().stream().map(p -> p.key()).toList();
        StringBuilder csv = new StringBuilder("trial,rung,budget");
        keys.forEach(k -> csv.append(',').append(k));
        csv.append(',').append(search.metric()).append('\n');
        for (Search.Evaluation e : o.evaluations()) {
            csv.append(e.trial().name()).append(',').append(e.rung()).append(',').append(e.budget());
            for (String k : keys) {
                Object v = e.trial().params().get(k);
                csv.append(',').append(v == null ? "" : v);
            }
            csv.append(',').append(Double.isNaN(e.metric()) ? "" : Double.toString(e.metric())).append('\n');
        }
        Files.writeString(dir.resolve(RESULTS), csv);
        Search.Evaluation best = o.best();
        RunConfig winner = ConfigLoader.load(TrialRunner.config(dir, best.trial()), "trial-" + best.trial().name(),
                List.of("epochs=" + best.budget()), null);
        Files.writeString(dir.resolve(BEST), "# the best trial of " + dir + ": " + best.trial().name() + ", "
                + search.metric() + " " + best.metric() + " after " + best.budget() + " epochs\n"
                + ConfigLoader.toYaml(winner));
        SearchCharts.save(dir.resolve(CHART), search, o);
        List<RunRecord> runs = new ArrayList<>();
        for (Trial t : o.trials()) {
            if (RunRecord.isRun(TrialRunner.folder(dir, t))) {
                runs.add(RunRecord.read(TrialRunner.folder(dir, t)));
            }
        }
        ReportPage.write(dir.resolve(ReportPage.FILE), "search " + name + ": " + o.trials().size() + " trials", runs,
                keys.get(0));
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** One line per result: the trial, its metric, how many are done, the best so far, the time and the ETA. */
    private static final class ProgressLine implements Search.Listener {
        private final PrintStream out;
        private final String metric;
        private final Map<Integer, Integer> extraEpochs = new LinkedHashMap<>();
        private final long totalWork;
        private final long start = System.nanoTime();
        private long work;

        ProgressLine(PrintStream out, String metric, List<Strategy.Rung> rungs) {
            this.out = out;
            this.metric = metric;
            long total = 0;
            int before = 0;
            for (int k = 0; k < rungs.size(); k++) {
                extraEpochs.put(k, rungs.get(k).budget() - before);
                total += (long) rungs.get(k).trials() * (rungs.get(k).budget() - before);
                before = rungs.get(k).budget();
            }
            this.totalWork = total;
        }

        @Override
        public synchronized void onResult(Search.Evaluation e, int done, int total, Search.Evaluation best) {
            work += extraEpochs.get(e.rung());
            double sec = (System.nanoTime() - start) / 1e9;
            double eta = work == 0 ? 0 : sec / work * (totalWork - work);
            out.printf(Locale.ROOT, "[%d/%d] trial %s, %d epoch%s: %s %s; best %s (trial %s, %d epochs); %s, ETA %s%n",
                    done, total, e.trial().name(), e.budget(), e.budget() == 1 ? "" : "s", metric, fmt(e.metric()),
                    fmt(best.metric()), best.trial().name(), best.budget(), time(sec), time(eta));
            out.flush();
        }

        private static String fmt(double v) {
            return Double.isNaN(v) ? "diverged" : String.format(Locale.ROOT, "%.4f", v);
        }

        private static String time(double s) {
            long t = Math.round(s);
            return t >= 3600 ? t / 3600 + "h" + (t % 3600) / 60 + "m" : t >= 60 ? t / 60 + "m" + t % 60 + "s" : t + "s";
        }
    }
}
