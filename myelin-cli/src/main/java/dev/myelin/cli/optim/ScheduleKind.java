package dev.myelin.cli.optim;

import dev.myelin.optim.schedule.Constant;
import dev.myelin.optim.schedule.Cosine;
import dev.myelin.optim.schedule.Cyclic;
import dev.myelin.optim.schedule.Exponential;
import dev.myelin.optim.schedule.InverseTime;
import dev.myelin.optim.schedule.LinearDecay;
import dev.myelin.optim.schedule.LrSchedule;
import dev.myelin.optim.schedule.Power;
import dev.myelin.optim.schedule.StepDecay;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One learning-rate schedule the config can name, with its options and how they become the
 * {@link LrSchedule}. {@link #ALL} is the registry; performance scheduling ({@code plateau}) is
 * not a pure schedule and is read by {@link ScheduleConfig} itself.
 */
record ScheduleKind(String name, List<Opt> options, Function<OptValues, LrSchedule> create) {
    static final List<ScheduleKind> ALL = List.of(
            new ScheduleKind("constant", List.of(), v -> new Constant()),
            new ScheduleKind("power", List.of(Opt.positive("s", null), Opt.positive("c", 1.0)),
                    v -> new Power(v.number("s"), v.number("c"))),
            new ScheduleKind("exponential", List.of(Opt.positive("s", null)), v -> new Exponential(v.number("s"))),
            new ScheduleKind("step", List.of(Opt.integer("step_size", null, 1),
                    Opt.number("gamma", 0.1, g -> g > 0 && g <= 1, "a number in (0, 1]")),
                    v -> new StepDecay(v.integer("step_size"), v.number("gamma"))),
            new ScheduleKind("inverse_time", List.of(Opt.positive("decay_rate", null), Opt.positive("decay_steps", null),
                    Opt.bool("staircase", false)),
                    v -> new InverseTime(v.number("decay_rate"), v.number("decay_steps"), v.bool("staircase"))),
            new ScheduleKind("linear", List.of(Opt.nonNegative("start_factor", 1.0), Opt.nonNegative("end_factor", 0.0),
                    Opt.integer("total_iters", null, 1)),
                    v -> new LinearDecay(v.number("start_factor"), v.number("end_factor"), v.integer("total_iters"))),
            new ScheduleKind("cosine", List.of(Opt.integer("t_max", null, 1), Opt.nonNegative("eta_min", 0.0)),
                    v -> new Cosine(v.integer("t_max"), v.number("eta_min"))),
            new ScheduleKind("cyclic", List.of(Opt.positive("max_lr", null), Opt.integer("step_size_up", 2000, 1),
                    Opt.integer("step_size_down", 0, 0)),
                    v -> new Cyclic(v.number("max_lr"), v.integer("step_size_up"),
                            v.integer("step_size_down") == 0 ? v.integer("step_size_up") : v.integer("step_size_down"))));

    static Optional<ScheduleKind> find(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
    }
}
