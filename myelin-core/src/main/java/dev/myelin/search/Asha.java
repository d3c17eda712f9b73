package dev.myelin.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler of {@link Strategy.Asha}: rung k's trials in the order they entered it, a
 * promotion decided each time a longer prefix of that order has its results, and the jobs of
 * higher rungs run first (as ASHA's workers look at the top rung first). The decisions are a
 * function of the results, so any number of workers gives the same outcome.
 */
final class Asha {
    private final Search.Options options;
    private final List<Strategy.Rung> rungs;
    private final int eta;
    private final Search.TrialFunction f;
    private final Journal journal;
    private final Search.Listener listener;
    private final List<List<Trial>> entered = new ArrayList<>();
    private final Map<String, Double> results = new HashMap<>();
    private final Set<String> promoted = new HashSet<>();
    private final int[] prefix;
    private final List<Search.Evaluation> evaluations = new ArrayList<>();
    private final ThreadPoolExecutor pool;
    private int outstanding;
    private int done;
    private int total;
    private Search.Evaluation best;
    private Exception failure;

    Asha(Search.Options o, List<Trial> trials, Search.TrialFunction f, int parallel, Journal journal,
         Search.Listener listener) {
        this.options = o;
        this.rungs = o.strategy().rungs(trials.size(), o.maxBudget());
        this.eta = ((Strategy.Asha) o.strategy()).eta();
        this.f = f;
        this.journal = journal;
        this.listener = listener;
        this.prefix = new int[rungs.size()];
        this.total = rungs.stream().mapToInt(Strategy.Rung::trials).sum();
        rungs.forEach(r -> entered.add(new ArrayList<>()));
        entered.get(0).addAll(trials);
        this.pool = new ThreadPoolExecutor(parallel, parallel, 0, TimeUnit.SECONDS, new PriorityBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "myelin-trial");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** One trial at one rung; higher rungs first, then the order the trials entered their rung. */
    private record Job(Asha owner, Trial trial, int rung, int position) implements Runnable, Comparable<Job> {
        @Override
        public void run() {
            owner.execute(this);
        }

        @Override
        public int compareTo(Job o) {
            return rung != o.rung ? Integer.compare(o.rung, rung) : Integer.compare(position, o.position);
        }
    }

    Search.Outcome run(List<Trial> trials) throws Exception {
        synchronized (this) {
            for (int i = 0; i < trials.size(); i++) {
                schedule(new Job(this, trials.get(i), 0, i));
            }
            while (outstanding > 0 && failure == null) {
                wait();
            }
        }
        pool.shutdownNow();
        if (failure != null) {
            throw failure;
        }
        List<Search.Evaluation> sorted = evaluations.stream()
                .sorted(Comparator.comparingInt(Search.Evaluation::rung).thenComparingInt(e -> e.trial().id())).toList();
        int topReached = sorted.get(sorted.size() - 1).rung();
        List<Search.Evaluation> last = Search.ranked(sorted.stream().filter(e -> e.rung() == topReached).toList(),
                options.maximize());
        return new Search.Outcome(trials, sorted, last.get(0));
    }

    private void schedule(Job j) {
        outstanding++;
        pool.execute(j);
    }

    private void execute(Job j) {
        int budget = rungs.get(j.rung()).budget();
        try {
            Double known = journal.result(j.trial().id(), budget);
            double m;
            if (known != null) {
                m = known;
            } else {
                journal.started(j.trial(), j.rung(), budget);
                m = f.run(j.trial(), j.rung(), budget);
                journal.result(j.trial(), j.rung(), budget, m);
            }
            record(j, budget, m);
        } catch (Exception e) {
            synchronized (this) {
                if (failure == null) {
                    failure = e;
                }
                outstanding--;
                notifyAll();
            }
        }
    }

    /** Records a result, then promotes from every prefix of its rung that is now complete. */
    private synchronized void record(Job j, int budget, double metric) {
        Search.Evaluation e = new Search.Evaluation(j.trial(), j.rung(), budget, metric);
        evaluations.add(e);
        results.put(j.rung() + ":" + j.trial().id(), metric);
        done++;
        if (best == null || e.rung() > best.rung() || (e.rung() == best.rung()
                && Search.score(metric, options.maximize()) < Search.score(best.metric(), options.maximize()))) {
            best = e;
        }
        int k = j.rung();
        List<Trial> order = entered.get(k);
        while (prefix[k] < order.size() && results.containsKey(k + ":" + order.get(prefix[k]).id())) {
            prefix[k]++;
            if (k + 1 < rungs.size()) {
                promoteFrom(k, order.subList(0, prefix[k]));
            }
        }
        total = Math.max(total, done + outstanding - 1);
        if (listener != null) {
            listener.onResult(e, done, total, best);
        }
        outstanding--;
        notifyAll();
    }

    /** The best floor(m/eta) of the rung's first m results go on, those not already promoted in rank order. */
    private void promoteFrom(int k, List<Trial> firstM) {
        int keep = firstM.size() / eta;
        List<Trial> ranked = firstM.stream().sorted(Comparator.comparingDouble((Trial t) ->
                Search.score(results.get(k + ":" + t.id()), options.maximize())).thenComparingInt(Trial::id)).toList();
        for (Trial t : ranked.subList(0, keep)) {
            if (promoted.add((k + 1) + ":" + t.id())) {
                List<Trial> next = entered.get(k + 1);
                next.add(t);
                journal.promoted(t, k + 1, rungs.get(k + 1).budget());
                schedule(new Job(this, t, k + 1, next.size() - 1));
            }
        }
    }
}
