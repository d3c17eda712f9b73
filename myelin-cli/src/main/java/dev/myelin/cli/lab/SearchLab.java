package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.report.Chart;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.search.Distribution;
import dev.myelin.search.Journal;
import dev.myelin.search.Parameter;
import dev.myelin.search.Search;
import dev.myelin.search.SearchSpace;
import dev.myelin.search.Strategy;
import dev.myelin.train.EpochMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab search}: Bergstra &amp; Bengio (2012, "Random Search for Hyper-Parameter
 * Optimization"), as the lecture "Training DNNs: Tricks" (hyperparameter search) teaches it.
 * When only some hyperparameters matter, a grid of n x n trials tries n values of each, while n^2
 * random trials try n^2 values of each: with the same budget random search finds the better
 * value. Here the learning rate (log-uniform, 1e-4 to 1e-1) matters and Adam's eps (log-uniform,
 * 1e-9 to 1e-6) barely does; a 3 x 3 grid and 9 random trials are compared by their best
 * validation accuracy, over several seeds. Then successive halving (9 trials for 1 epoch, the
 * best 3 for 3: 15 epochs) and ASHA (10 trials for 1 epoch, the best 3 for 3, promoting as results
 * arrive, in a fixed order: 16 epochs) against a random search of 16 full trials (48 epochs: they
 * get a third of its epochs), and against one of 5 full trials (15 epochs: about equal epochs).
 */
public final class SearchLab implements Experiment {
    private static final String CONFIG = "lab/search/mlp.yaml";
    private static final int SEEDS = 5;
    private static final List<String> QUICK = List.of("data.train_limit=400", "data.test_limit=100");
    private static final double LR_LO = 1e-4;
    private static final double LR_HI = 1e-1;
    private static final double EPS_LO = 1e-9;
    private static final double EPS_HI = 1e-6;

    @Override
    public String name() {
        return "search";
    }

    @Override
    public String description() {
        return "grid vs random search at equal trials (Bergstra & Bengio 2012), and successive halving and ASHA vs"
                + " random at a third of the epochs and at equal epochs: best validation accuracy over seeds";
    }

    /** The arms, each a strategy over a space: the grid needs the values listed. */
    private record Arm(String name, Strategy strategy, SearchSpace space) {
    }

    private static List<Arm> arms(boolean quick) {
        SearchSpace random = new SearchSpace(List.of(
                Parameter.of("optimizer.lr", new Distribution.LogUniform(LR_LO, LR_HI)),
                Parameter.of("optimizer.eps", new Distribution.LogUniform(EPS_LO, EPS_HI))));
        int n = quick ? 2 : 3;
        SearchSpace grid = new SearchSpace(List.of(
                Parameter.of("optimizer.lr", new Distribution.Choice(logSpaced(LR_LO, LR_HI, n))),
                Parameter.of("optimizer.eps", new Distribution.Choice(logSpaced(EPS_LO, EPS_HI, n)))));
        return List.of(new Arm("grid", new Strategy.Grid(), grid),
                new Arm("random", new Strategy.RandomSearch(n * n), random),
                new Arm("random-16", new Strategy.RandomSearch(quick ? 6 : 16), random),
                new Arm("random-5", new Strategy.RandomSearch(quick ? 2 : 5), random),
                new Arm("halving", new Strategy.SuccessiveHalving(n * n, 3, 1), random),
                new Arm("asha", new Strategy.Asha(n * n + 1, 3, 1), random));
    }

    /** {@code n} values from lo to hi, evenly spaced on a log scale (the grid of a log range). */
    static List<Object> logSpaced(double lo, double hi, int n) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * i / (n - 1)));
        }
        return out;
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        int seeds = ctx.quick() ? 2 : SEEDS;
        int epochs = ConfigLoader.loadResource(CONFIG, "mlp", List.of(), ctx.dataDir()).epochs();
        int budget = ctx.quick() ? 2 : epochs;
        Table table = new Table();
        Map<String, double[]> best = new LinkedHashMap<>();
        Map<String, Integer> work = new LinkedHashMap<>();
        Map<String, Integer> distinctLr = new LinkedHashMap<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        List<Arm> arms = arms(ctx.quick());
        arms.forEach(a -> best.put(a.name(), new double[seeds]));
        Path trials = Files.createDirectories(ctx.file("trials"));
        for (int s = 0; s < seeds; s++) {
            for (Arm a : arms) {
                long seed = ctx.seed() + s;
                Search.Options o = new Search.Options(a.space(), a.strategy(), budget, true, seed);
                String tag = a.name() + "-seed" + s;
                Search.Outcome out = Search.run(o, (t, rung, b) -> trial(ctx, trials, tag, t.name(), seed, t.params(),
                        b, table), 1, Journal.open(trials.resolve(tag + ".jsonl")), null);
                best.get(a.name())[s] = out.best().metric();
                work.put(a.name(), epochs(out));
                count.put(a.name(), out.trials().size());
                distinctLr.put(a.name(), (int) out.trials().stream().map(t -> t.params().get("optimizer.lr"))
                        .distinct().count());
                ctx.log("[%s] best val_accuracy %.4f (trial %s, lr %.3g)", tag, out.best().metric(),
                        out.best().trial().name(), (Double) out.best().trial().params().get("optimizer.lr"));
            }
        }
        table.write(ctx.file(RunFolder.METRICS));
        String verdict = verdict(ctx, best, work, distinctLr, count);
        return ctx.verdict(verdict);
    }

    /** Trains one trial in-process to {@code budget} epochs and returns its last validation accuracy. */
    private static double trial(LabContext ctx, Path trials, String tag, String name, long seed,
                                Map<String, Object> params, int budget, Table table) throws Exception {
        List<String> sets = new ArrayList<>(List.of("seed=" + seed, "epochs=" + budget));
        if (ctx.quick()) {
            sets.addAll(QUICK);
        }
        params.forEach((k, v) -> sets.add(k + "=" + v));
        sets.addAll(ctx.overrides());
        String run = tag + "-" + name + "-" + budget;
        RunConfig c = ConfigLoader.loadResource(CONFIG, run, sets, ctx.dataDir());
        LabContext inTrials = new LabContext(trials, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                ctx.seed(), ctx.quick(), ctx.dataDir(), ctx.overrides());
        LabRun r = ConfigLab.train(inTrials, c, List.of());
        ConfigLab.deleteTree(trials.resolve(run)); // the figures are in the lab's metrics.csv; the weights are not needed
        table.add(run, r.history());
        EpochMetrics last = r.last();
        return last == null ? Double.NaN : last.valAccuracy();
    }

    /**
     * The epochs a search trains when a promoted trial continues from where it stopped (as
     * {@code myelin search} does): each rung adds its budget minus the rung before's. (This lab
     * retrains a promoted trial from the start, which gives the same figures without schedules
     * that depend on the total epochs.)
     */
    private static int epochs(Search.Outcome out) {
        Map<String, Integer> reached = new LinkedHashMap<>();
        int total = 0;
        for (Search.Evaluation e : out.evaluations()) {
            int before = reached.getOrDefault(e.trial().name(), 0);
            total += e.budget() - before;
            reached.put(e.trial().name(), e.budget());
        }
        return total;
    }

    private static String verdict(LabContext ctx, Map<String, double[]> best, Map<String, Integer> work,
                                  Map<String, Integer> distinctLr, Map<String, Integer> count) throws Exception {
        ObjectNode s = ctx.summary();
        best.forEach((arm, v) -> {
            ObjectNode o = s.putObject(arm);
            java.util.Arrays.stream(v).forEach(o.putArray("best_val_accuracy")::add);
            LabContext.number(o, "mean_best_val_accuracy", mean(v));
            o.put("epochs_per_search", work.get(arm));
            o.put("distinct_learning_rates", distinctLr.get(arm));
        });
        s.put("chart", "search.png");
        Chart.save(ctx.file("search.png"), chart(best));
        return judge(best, work, distinctLr, count);
    }

    /** The verdict from the numbers: each arm's best validation accuracy per seed, epochs, learning rates tried, trials. */
    static String judge(Map<String, double[]> best, Map<String, Integer> work, Map<String, Integer> distinctLr,
                        Map<String, Integer> count) {
        double[] grid = best.get("grid");
        double[] random = best.get("random");
        int wins = 0;
        int ties = 0;
        for (int i = 0; i < grid.length; i++) {
            wins += random[i] > grid[i] ? 1 : 0;
            ties += random[i] == grid[i] ? 1 : 0;
        }
        double diff = 100 * (mean(random) - mean(grid));
        boolean shows = wins > grid.length / 2 && diff > 0;
        String first = String.format(Locale.ROOT, "Grid vs random, %d and %d trials (%d and %d distinct learning rates):"
                        + " random search found the better validation accuracy in %d of %d seeds (%d ties); mean best"
                        + " %.4f vs %.4f (%+.2f points). %s", count.get("grid"), count.get("random"), distinctLr.get("grid"),
                distinctLr.get("random"), wins, grid.length, ties, mean(random), mean(grid), diff,
                shows ? "Consistent with Bergstra & Bengio: with one hyperparameter that matters, random search tries"
                        + " more of its values for the same budget."
                        : "The effect does not show in this run: the grid's learning rates were as good here.");
        String second = againstFull("Successive halving", "halving", best, work);
        String third = best.containsKey("asha") ? "\n" + againstFull("ASHA", "asha", best, work) : "";
        String equal = best.containsKey("random-5") ? "\n" + atEqualEpochs(best, work) : "";
        return first + "\n" + second + third + equal;
    }

    /** How a halving arm did against the random search of full trials, and at what share of its epochs. */
    private static String againstFull(String label, String arm, Map<String, double[]> best, Map<String, Integer> work) {
        double[] halving = best.get(arm);
        double[] full = best.get("random-16");
        double gap = 100 * (mean(full) - mean(halving));
        double share = (double) work.get(arm) / work.get("random-16");
        return String.format(Locale.ROOT, "%s (%d epochs per search) vs random search of full trials (%d epochs,"
                        + " %.0f%% more): mean best %.4f vs %.4f, %.2f points %s. %s", label, work.get(arm),
                work.get("random-16"), 100 * (1 / share - 1), mean(halving), mean(full), Math.abs(gap),
                gap > 0 ? "behind" : "ahead",
                gap <= 0.5 ? String.format(Locale.ROOT, "Within half a point with %.0f%% of the epochs: the early"
                        + " rungs weed out the bad learning rates cheaply.", 100 * share)
                        : String.format(Locale.ROOT, "More than half a point behind with %.0f%% of the epochs: at this"
                        + " budget the saving cost accuracy.", 100 * share));
    }

    /** The halving arms against a random search of as many epochs in full trials (fewer trials). */
    private static String atEqualEpochs(Map<String, double[]> best, Map<String, Integer> work) {
        double[] few = best.get("random-5");
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "At about equal epochs, random search of %d"
                + " epochs in full trials scored %.4f:", work.get("random-5"), mean(few)));
        for (String arm : List.of("halving", "asha")) {
            if (best.containsKey(arm)) {
                double gap = 100 * (mean(best.get(arm)) - mean(few));
                sb.append(String.format(Locale.ROOT, " %s (%d epochs) %+.2f points;", arm, work.get(arm), gap));
            }
        }
        boolean ahead = List.of("halving", "asha").stream().filter(best::containsKey)
                .allMatch(a -> mean(best.get(a)) > mean(few));
        return sb.append(ahead ? " the early stops buy more trials than they cost."
                : " the effect of stopping early does not show against this baseline.").toString();
    }

    private static Chart chart(Map<String, double[]> best) {
        Chart c = Chart.of("best validation accuracy per seed", "seed", "validation accuracy");
        best.forEach((arm, v) -> {
            double[] x = new double[v.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
            }
            c.points(String.format(Locale.ROOT, "%s (mean %.4f)", arm, mean(v)), x, v);
        });
        return c;
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).filter(Double::isFinite).average().orElse(Double.NaN);
    }
}
