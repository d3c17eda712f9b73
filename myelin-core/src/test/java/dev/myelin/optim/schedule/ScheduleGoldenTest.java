package dev.myelin.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.io.Golden;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every schedule's learning rate over 100 steps equals PyTorch's scheduler (or LambdaLR with
 * the lecture's formula) from golden/optim_schedules.json, including warm-up composed with
 * cosine annealing and with step decay.
 */
class ScheduleGoldenTest {
    static Stream<Integer> cases() {
        return IntStream.range(0, Golden.load("optim_schedules.json").get("cases").size()).boxed();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesPyTorch(int index) {
        Golden g = Golden.load("optim_schedules.json");
        Golden c = g.get("cases").get(index);
        String name = c.get("name").asString();
        LrSchedule s = fromOptions(c.get("options"));
        double base = g.get("base_lr").asDouble();
        Golden.Tolerance tol = g.tolerance();
        for (int t = 0; t < g.get("steps").asLong(); t++) {
            double want = c.get("lrs").get(t).asDouble();
            double got = s.at(base, t);
            assertTrue(Math.abs(got - want) <= tol.atol() + tol.rtol() * Math.abs(want),
                    name + " at t=" + t + ": expected " + want + ", got " + got);
        }
    }

    private static LrSchedule fromOptions(Golden o) {
        LrSchedule s = switch (o.get("name").asString()) {
            case "power" -> new Power(o.get("s").asDouble(), o.get("c").asDouble());
            case "exponential" -> new Exponential(o.get("s").asDouble());
            case "step" -> new StepDecay(o.get("step_size").asLong(), o.get("gamma").asDouble());
            case "inverse_time" -> new InverseTime(o.get("decay_rate").asDouble(), o.get("decay_steps").asDouble(),
                    o.get("staircase").asBoolean());
            case "linear" -> new LinearDecay(o.get("start_factor").asDouble(), o.get("end_factor").asDouble(),
                    o.get("total_iters").asLong());
            case "cosine" -> new Cosine(o.get("t_max").asLong(), o.get("eta_min").asDouble());
            case "cyclic" -> new Cyclic(o.get("max_lr").asDouble(), o.get("step_size_up").asLong(),
                    o.get("step_size_down").asLong());
            case "multistep" -> new MultiStep(longs(o.get("milestones")), o.get("gamma").asDouble());
            case "onecycle" -> new OneCycle(o.get("total_steps").asLong(), o.get("max_lr").asDouble(),
                    o.get("pct_start").asDouble(), OneCycle.Anneal.valueOf(o.get("anneal").asString().toUpperCase()),
                    o.get("div_factor").asDouble(), o.get("final_div_factor").asDouble(),
                    o.get("three_phase").asBoolean());
            case "chained" -> {
                java.util.List<LrSchedule> parts = new java.util.ArrayList<>();
                for (int i = 0; i < o.get("schedules").size(); i++) {
                    parts.add(fromOptions(o.get("schedules").get(i)));
                }
                yield new Chained(parts);
            }
            default -> throw new IllegalArgumentException("unknown schedule " + o.get("name").asString());
        };
        if (o.has("warmup")) {
            s = s.withWarmup(o.get("warmup").get("steps").asLong(), o.get("warmup").get("start_factor").asDouble());
        }
        return s;
    }

    private static java.util.List<Long> longs(Golden a) {
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get(i).asLong());
        }
        return out;
    }

    /** OneCycle with max_lr 0 takes each group's own rate as its peak, so groups keep their ratio. */
    @Test
    void oneCycleWithoutMaxLrPeaksAtTheGroupsRate() {
        OneCycle c = OneCycle.of(100);
        assertEquals(0.01 / 25, c.at(0.01, 0), 1e-15);
        assertEquals(0.01, c.at(0.01, 29), 1e-15, "the peak at pct_start * total - 1");
        assertEquals(0.001, c.at(0.001, 29), 1e-15);
        assertEquals(0.01 / 25 / 1e4, c.at(0.01, 99), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MultiStep(java.util.List.of(30L, 20L), 0.1));
        assertTrue(e.getMessage().startsWith("multistep schedule: milestones: expected increasing steps"), e.getMessage());
    }

    /** The lecture's statements about eqs. (2) and (4): the ratio of rates s steps apart. */
    @Test
    void powerAndExponentialFollowTheLecturesRatios() {
        Power power = new Power(10, 1);
        Exponential exp = new Exponential(10);
        for (int k = 0; k < 5; k++) {
            assertEquals(1 - 1.0 / (k + 2), power.at(1, (k + 1) * 10L) / power.at(1, k * 10L), 1e-12, "power k=" + k);
            assertEquals(0.1, exp.at(1, (k + 1) * 10L) / exp.at(1, k * 10L), 1e-12, "exponential k=" + k);
        }
    }

    @Test
    void badOptionsNameTheScheduleAndTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Cosine(0, 0));
        assertEquals("cosine schedule: t_max: expected a number >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new StepDecay(10, 1.5));
        assertEquals("step schedule: gamma: expected a number in (0, 1], got 1.5", e.getMessage());
    }
}
