package dev.myelin.search;

import dev.myelin.tensor.Rng;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A hyperparameter search: the trials of a {@link SearchSpace} (drawn from one seed, or its
 * grid), trained and judged by a {@link TrialFunction} rung by rung as a {@link Strategy} says,
 * {@code parallel} at a time.
 *
 * <p>Reproducible: trial i's values come from {@code Rng(seed).split("trial i")}, and each rung
 * waits for all its trials before it ranks them (by the metric, then the trial number), so the
 * trials, their budgets and the winner depend only on the results, never on which trial finished
 * first or how many ran at once. Resumable: every start, result and promotion goes to the
 * {@link Journal}, and a trial whose result is there is not run again.
 */
public final class Search {
    /** Trains one trial to a budget and returns its metric (NaN when it failed or diverged). */
    @FunctionalInterface
    public interface TrialFunction {
        double run(Trial trial, int rung, int budget) throws Exception;
    }

    /** Told of each result as it is recorded (for a progress line). */
    @FunctionalInterface
    public interface Listener {
        void onResult(Evaluation e, int done, int total, Evaluation best);
    }

    /**
     * @param maxBudget the epochs of a full trial
     * @param maximize  true when a larger metric is better (accuracy), false for a loss
     */
    public record Options(SearchSpace space, Strategy strategy, int maxBudget, boolean maximize, long seed) {
        public Options {
            if (maxBudget < 1) {
                throw new IllegalArgumentException("expected a budget of at least 1 epoch, found " + maxBudget);
            }
        }
    }

    /** One trial's metric after {@code budget} epochs, in rung {@code rung}. */
    public record Evaluation(Trial trial, int rung, int budget, double metric) {
    }

    /** Every evaluation in rung order, then trial order; the best of the last rung. */
    public record Outcome(List<Trial> trials, List<Evaluation> evaluations, Evaluation best) {
    }

    private Search() {
    }

    /** The trials of a search, in order: the grid, or {@code strategy.trials()} draws. */
    public static List<Trial> trials(Options o) {
        List<Trial> out = new ArrayList<>();
        if (o.strategy() instanceof Strategy.Grid) {
            List<java.util.Map<String, Object>> grid = o.space().grid();
            for (int i = 0; i < grid.size(); i++) {
                out.add(new Trial(i, grid.get(i)));
            }
            return out;
        }
        Rng root = new Rng(o.seed());
        for (int i = 0; i < o.strategy().trials(); i++) {
            out.add(new Trial(i, o.space().sample(root.split("trial " + i))));
        }
        return out;
    }

    /** The rungs of the search: how many trials at which budget. */
    public static List<Strategy.Rung> rungs(Options o) {
        return o.strategy().rungs(trials(o).size(), o.maxBudget());
    }

    /** Runs the search, or the rest of it when the journal holds results. */
    public static Outcome run(Options o, TrialFunction f, int parallel, Journal journal, Listener listener)
            throws Exception {
        if (parallel < 1) {
            throw new IllegalArgumentException("expected at least 1 trial at a time, found " + parallel);
        }
        List<Trial> trials = trials(o);
        trials.forEach(journal::check);
        if (o.strategy() instanceof Strategy.Asha) {
            return new Asha(o, trials, f, parallel, journal, listener).run(trials);
        }
        List<Strategy.Rung> rungs = o.strategy().rungs(trials.size(), o.maxBudget());
        int total = rungs.stream().mapToInt(Strategy.Rung::trials).sum();
        List<Evaluation> all = new ArrayList<>();
        List<Trial> alive = trials;
        Progress progress = new Progress(total, listener, o.maximize());
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "myelin-trial");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int k = 0; k < rungs.size(); k++) {
                List<Evaluation> rung = runRung(alive, k, rungs.get(k).budget(), f, journal, pool, progress);
                all.addAll(rung);
                if (k + 1 < rungs.size()) {
                    alive = ranked(rung, o.maximize()).stream().limit(rungs.get(k + 1).trials())
                            .map(Evaluation::trial).sorted(Comparator.comparingInt(Trial::id)).toList();
                    for (Trial t : alive) {
                        journal.promoted(t, k + 1, rungs.get(k + 1).budget());
                    }
                } else {
                    List<Evaluation> last = ranked(rung, o.maximize());
                    return new Outcome(trials, all, last.get(0));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        throw new IllegalStateException("a search has at least one rung");
    }

    private static List<Evaluation> runRung(List<Trial> alive, int k, int budget, TrialFunction f, Journal journal,
                                            ExecutorService pool, Progress progress) throws Exception {
        List<Future<Evaluation>> jobs = new ArrayList<>();
        for (Trial t : alive) {
            jobs.add(pool.submit(() -> {
                Double known = journal.result(t.id(), budget);
                if (known != null) {
                    return progress.add(new Evaluation(t, k, budget, known));
                }
                journal.started(t, k, budget);
                double m = f.run(t, k, budget);
                journal.result(t, k, budget, m);
                return progress.add(new Evaluation(t, k, budget, m));
            }));
        }
        List<Evaluation> out = new ArrayList<>();
        for (Future<Evaluation> j : jobs) {
            try {
                out.add(j.get());
            } catch (ExecutionException e) {
                jobs.forEach(other -> other.cancel(true));
                throw e.getCause() instanceof Exception x ? x : e;
            }
        }
        return out;
    }

    /** Best first: by the metric (NaN last), ties by trial number. */
    public static List<Evaluation> ranked(List<Evaluation> rung, boolean maximize) {
        Comparator<Evaluation> byMetric = Comparator.comparingDouble(e -> score(e.metric(), maximize));
        return rung.stream().sorted(byMetric.thenComparingInt(e -> e.trial().id())).toList();
    }

    /** Lower is better: the metric, negated when larger is better; NaN is the worst. */
    static double score(double metric, boolean maximize) {
        if (Double.isNaN(metric)) {
            return Double.POSITIVE_INFINITY;
        }
        return maximize ? -metric : metric;
    }

    /** Counts results and keeps the best so far, for the listener. */
    private static final class Progress {
        private final int total;
        private final Listener listener;
        private final boolean maximize;
        private int done;
        private Evaluation best;

        Progress(int total, Listener listener, boolean maximize) {
            this.total = total;
            this.listener = listener;
            this.maximize = maximize;
        }

        synchronized Evaluation add(Evaluation e) {
            done++;
            if (best == null || e.budget() > best.budget() || (e.budget() == best.budget()
                    && score(e.metric(), maximize) < score(best.metric(), maximize))) {
                best = e;
            }
            if (listener != null) {
                listener.onResult(e, done, total, best);
            }
            return e;
        }
    }
}
