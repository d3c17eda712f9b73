package dev.myelin.search;

import java.util.ArrayList;
import java.util.List;

/**
 * How a search spends its budget (epochs). Lecture: "Training DNNs: Tricks", hyperparameter
 * search (coarse to fine, random over grid); Bergstra &amp; Bengio 2012; successive halving:
 * Jamieson &amp; Talwalkar 2016, Li et al. 2018 (Hyperband) and 2020 (ASHA).
 */
public sealed interface Strategy {
    /**
     * The rungs: how many trials run at which budget, from the first rung to the last. Each
     * rung's trials are the best of the rung before.
     *
     * @param trials    the trials the first rung holds
     * @param maxBudget the epochs of a full trial (the config's {@code epochs})
     */
    List<Rung> rungs(int trials, int maxBudget);

    /** How many trials the first rung samples; 0 for a grid, whose size is its space's. */
    int trials();

    /** One rung: {@code trials} trials trained to {@code budget} epochs. */
    record Rung(int trials, int budget) {
    }

    /** Every combination of the grid's values, each trained to the full budget. */
    record Grid() implements Strategy {
        @Override
        public int trials() {
            return 0;
        }

        @Override
        public List<Rung> rungs(int n, int maxBudget) {
            return List.of(new Rung(n, maxBudget));
        }
    }

    /** {@code trials} configurations drawn from the space, each trained to the full budget. */
    record RandomSearch(int trials) implements Strategy {
        public RandomSearch {
            if (trials < 1) {
                throw new IllegalArgumentException("expected at least 1 trial, found " + trials);
            }
        }

        @Override
        public List<Rung> rungs(int n, int maxBudget) {
            return List.of(new Rung(n, maxBudget));
        }
    }

    /**
     * Successive halving: {@code trials} configurations start at {@code minBudget} epochs; after
     * each rung the best 1/eta go on with eta times the epochs, up to {@code maxBudget} (the last
     * rung trains its trials to exactly that). Each rung waits for all its trials and ranks them
     * by their metric, ties by trial number, so the same results give the same promotions
     * whatever the order the trials finished in.
     *
     * @param eta       the reduction factor (3 in Li et al.)
     * @param minBudget the first rung's epochs (0: maxBudget / eta^(rungs-1), at least 1)
     */
    record SuccessiveHalving(int trials, int eta, int minBudget) implements Strategy {
        public SuccessiveHalving {
            if (trials < 2) {
                throw new IllegalArgumentException("expected at least 2 trials to halve, found " + trials);
            }
            if (eta < 2) {
                throw new IllegalArgumentException("expected a reduction factor eta >= 2, found " + eta);
            }
            if (minBudget < 0) {
                throw new IllegalArgumentException("expected min_epochs >= 1 (0: derived), found " + minBudget);
            }
        }

        @Override
        public List<Rung> rungs(int n, int maxBudget) {
            return halvingRungs(n, eta, minBudget, maxBudget);
        }
    }

    /**
     * ASHA, the asynchronous form of successive halving (Li et al. 2020, "A System for Massively
     * Parallel Hyperparameter Tuning"): a trial goes on to the next rung as soon as it is in the
     * best 1/eta of the results its rung has so far, without waiting for the rung to fill, so the
     * workers never wait for a rung's slowest trial. Its rungs are successive halving's.
     *
     * <p>ASHA as published decides on the results that happen to have arrived, so its promotions
     * depend on timing. Here a rung's results are taken in a fixed order (the order its trials
     * entered it), and a promotion is decided when a prefix of that order is complete: when the
     * first m results are in, the best floor(m/eta) of them go on. The decisions then depend on
     * the results alone, and the same seed gives the same trials, budgets and winner for any
     * number of workers; a trial waits at most for the trials before it in its rung.
     */
    record Asha(int trials, int eta, int minBudget) implements Strategy {
        public Asha {
            new SuccessiveHalving(trials, eta, minBudget); // the same checks
        }

        @Override
        public List<Rung> rungs(int n, int maxBudget) {
            return halvingRungs(n, eta, minBudget, maxBudget);
        }
    }

    /** Successive halving's rungs: budgets min, min*eta, ... up to max; trials n, n/eta, ... */
    private static List<Rung> halvingRungs(int n, int eta, int minBudget, int maxBudget) {
        int min = minBudget > 0 ? minBudget : Math.max(1, maxBudget / (int) Math.min(Integer.MAX_VALUE,
                Math.pow(eta, Math.floor(Math.log(n) / Math.log(eta)))));
        if (min > maxBudget) {
            throw new IllegalArgumentException("min_epochs " + min + " is more than the " + maxBudget
                    + " epochs of a full trial");
        }
        List<Rung> out = new ArrayList<>();
        long budget = min;
        int count = n;
        while (budget < maxBudget && count > 1) {
            out.add(new Rung(count, (int) budget));
            budget *= eta;
            count = Math.max(1, count / eta);
        }
        out.add(new Rung(count, maxBudget));
        return out;
    }
}
