package dev.myelin.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchTest {
    @TempDir
    Path dir;

    private static SearchSpace space() {
        return new SearchSpace(List.of(
                Parameter.of("optimizer.lr", new Distribution.LogUniform(1e-4, 1e-1)),
                Parameter.of("optimizer.name", new Distribution.Choice(List.of("sgd", "adam"))),
                new Parameter("optimizer.momentum", new Distribution.Uniform(0.5, 0.99), Map.of("optimizer.name", "sgd")),
                Parameter.of("batch_size", new Distribution.Choice(List.of(64, 128, 256)))));
    }

    /** A made-up validation loss: best at lr 1e-2, better with more epochs; sleeps so that trials finish out of order. */
    private static double loss(Trial t, int budget) throws InterruptedException {
        Thread.sleep((t.id() * 7919L) % 13);
        double lr = (Double) t.params().get("optimizer.lr");
        return Math.pow(Math.log10(lr) + 2, 2) + 1.0 / budget + ((Integer) t.params().get("batch_size")) / 1e4;
    }

    @Test
    void samplesFollowTheSpaceAndItsConditions() {
        SearchSpace s = space();
        List<Double> lrs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Map<String, Object> m = s.sample(new Rng(5).split("trial " + i));
            double lr = (Double) m.get("optimizer.lr");
            assertTrue(lr >= 1e-4 && lr < 1e-1, "lr " + lr);
            lrs.add(lr);
            assertEquals("sgd".equals(m.get("optimizer.name")), m.containsKey("optimizer.momentum"), m.toString());
        }
        Collections.sort(lrs);
        double median = lrs.get(lrs.size() / 2);
        assertTrue(median > 1e-3 && median < 1e-2, "log-uniform: the median is near the geometric mean, " + median);
        assertEquals(s.sample(new Rng(5).split("trial 3")), s.sample(new Rng(5).split("trial 3")), "one seed, one trial");
    }

    @Test
    void aGridEnumeratesEveryCombinationAndPrunesByCondition() {
        SearchSpace s = new SearchSpace(List.of(
                Parameter.of("optimizer.name", new Distribution.Choice(List.of("sgd", "adam"))),
                new Parameter("optimizer.momentum", new Distribution.Choice(List.of(0.0, 0.9)),
                        Map.of("optimizer.name", "sgd")),
                Parameter.of("optimizer.lr", new Distribution.Choice(List.of(0.1, 0.01)))));
        List<Map<String, Object>> g = s.grid();
        assertEquals(6, g.size(), g.toString()); // sgd x 2 momenta x 2 lrs + adam x 2 lrs
        assertEquals(Map.of("optimizer.name", "sgd", "optimizer.momentum", 0.0, "optimizer.lr", 0.1), g.get(0));
        assertFalse(g.get(5).containsKey("optimizer.momentum"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> space().grid());
        assertTrue(e.getMessage().startsWith("optimizer.lr: a grid search needs the values"), e.getMessage());
    }

    @Test
    void badSpacesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Distribution.LogUniform(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Distribution.Choice(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Distribution.Uniform(1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SearchSpace(List.of(
                new Parameter("optimizer.momentum", new Distribution.Uniform(0, 1), Map.of("optimizer.name", "sgd")))));
        assertTrue(e.getMessage().contains("not a searched key"), e.getMessage());
    }

    @Test
    void successiveHalvingRungs() {
        Strategy sh = new Strategy.SuccessiveHalving(27, 3, 1);
        assertEquals(List.of(new Strategy.Rung(27, 1), new Strategy.Rung(9, 3), new Strategy.Rung(3, 9),
                new Strategy.Rung(1, 27)), sh.rungs(27, 27));
        assertEquals(List.of(new Strategy.Rung(16, 1), new Strategy.Rung(5, 3), new Strategy.Rung(1, 9)),
                new Strategy.SuccessiveHalving(16, 3, 0).rungs(16, 9));
    }

    @Test
    void theOutcomeDoesNotDependOnHowManyTrialsRunAtOnce() throws Exception {
        Search.Options o = new Search.Options(space(), new Strategy.SuccessiveHalving(12, 3, 1), 9, false, 11);
        Search.Outcome one = Search.run(o, (t, k, b) -> loss(t, b), 1, Journal.open(dir.resolve("a.jsonl")), null);
        Search.Outcome four = Search.run(o, (t, k, b) -> loss(t, b), 4, Journal.open(dir.resolve("b.jsonl")), null);
        assertEquals(one.evaluations(), four.evaluations());
        assertEquals(one.best(), four.best());
        assertEquals(12 + 4 + 1, one.evaluations().size());
        assertEquals(9, one.best().budget());
        double bestFirstRung = Search.ranked(one.evaluations().subList(0, 12), false).get(0).metric();
        assertTrue(one.best().trial().equals(Search.ranked(one.evaluations().subList(0, 12), false).get(0).trial())
                || one.best().metric() <= bestFirstRung, "the winner comes from the best of the first rung");
    }

    @Test
    void ashaPromotesFromCompletePrefixesAndGivesOneOutcomeForAnyNumberOfWorkers() throws Exception {
        Search.Options o = new Search.Options(space(), new Strategy.Asha(18, 3, 1), 9, false, 4);
        Search.Outcome one = Search.run(o, (t, k, b) -> loss(t, b), 1, Journal.open(dir.resolve("a1.jsonl")), null);
        Search.Outcome four = Search.run(o, (t, k, b) -> loss(t, b), 4, Journal.open(dir.resolve("a4.jsonl")), null);
        assertEquals(one.evaluations(), four.evaluations());
        assertEquals(one.best(), four.best());
        assertEquals(9, one.best().budget(), "the winner reached the top rung");
        long rung1 = one.evaluations().stream().filter(e -> e.rung() == 1).count();
        assertTrue(rung1 >= 18 / 3, "at least the best third goes on, as in successive halving: " + rung1);
        // The prefix rule: trial 0 and 1 cannot be promoted before the first 3 results are in, then the best one is.
        List<Search.Evaluation> first3 = one.evaluations().stream().filter(e -> e.rung() == 0 && e.trial().id() < 3)
                .toList();
        Trial bestOf3 = Search.ranked(first3, false).get(0).trial();
        assertTrue(one.evaluations().stream().anyMatch(e -> e.rung() == 1 && e.trial().equals(bestOf3)),
                "the best of the first three is promoted");
        // resumed from a journal cut after a few results, it trains only the rest and ends the same
        Path cut = dir.resolve("a1cut.jsonl");
        java.nio.file.Files.write(cut, java.nio.file.Files.readAllLines(dir.resolve("a1.jsonl")).subList(0, 10));
        AtomicInteger calls = new AtomicInteger();
        Search.Outcome resumed = Search.run(o, (t, k, b) -> {
            calls.incrementAndGet();
            return loss(t, b);
        }, 2, Journal.open(cut), null);
        assertEquals(one.evaluations(), resumed.evaluations());
        assertTrue(calls.get() < one.evaluations().size(), calls + " of " + one.evaluations().size() + " run again");
    }

    @Test
    void aResumedSearchRunsOnlyWhatHasNoResult() throws Exception {
        Search.Options o = new Search.Options(space(), new Strategy.RandomSearch(10), 3, false, 2);
        Search.Outcome whole = Search.run(o, (t, k, b) -> loss(t, b), 2, Journal.open(dir.resolve("w.jsonl")), null);
        Path j = dir.resolve("k.jsonl");
        AtomicInteger calls = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> Search.run(o, (t, k, b) -> {
            if (calls.incrementAndGet() > 6) {
                throw new IllegalStateException("killed");
            }
            return loss(t, b);
        }, 1, Journal.open(j), null));
        AtomicInteger again = new AtomicInteger();
        Search.Outcome resumed = Search.run(o, (t, k, b) -> {
            again.incrementAndGet();
            return loss(t, b);
        }, 2, Journal.open(j), null);
        assertEquals(whole.evaluations(), resumed.evaluations());
        assertEquals(4, again.get(), "the 6 finished trials are not run again");

        Search.Options other = new Search.Options(space(), new Strategy.RandomSearch(10), 3, false, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Search.run(other, (t, k, b) -> loss(t, b), 1, Journal.open(j), null));
        assertTrue(e.getMessage().contains("the space or the seed changed"), e.getMessage());
    }
}
