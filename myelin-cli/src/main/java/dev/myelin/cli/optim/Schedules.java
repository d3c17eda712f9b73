package dev.myelin.cli.optim;

import dev.myelin.model.bind.Registry;
import dev.myelin.optim.schedule.Constant;
import dev.myelin.optim.schedule.Cosine;
import dev.myelin.optim.schedule.Cyclic;
import dev.myelin.optim.schedule.Exponential;
import dev.myelin.optim.schedule.InverseTime;
import dev.myelin.optim.schedule.LinearDecay;
import dev.myelin.optim.schedule.MultiStep;
import dev.myelin.optim.schedule.OneCycle;
import dev.myelin.optim.schedule.Power;
import dev.myelin.optim.schedule.StepDecay;
import dev.myelin.train.Callback;
import dev.myelin.train.PlateauScheduler;

/**
 * The learning-rate schedules a config can name. A schedule is a core record that is its own
 * options (its keys, defaults and checks); {@code plateau} is the performance-scheduling
 * callback with its options. A new schedule is one core record and one line here.
 */
public final class Schedules {
    /** Builds the training callback that applies a schedule, given when and how it runs. */
    public static final Registry<ScheduleConfig.Timing, Callback> ALL =
            new Registry<ScheduleConfig.Timing, Callback>("a schedule")
                    .add("constant", Constant.class, (s, t) -> t.scheduler(s))
                    .add("power", Power.class, (s, t) -> t.scheduler(s))
                    .add("exponential", Exponential.class, (s, t) -> t.scheduler(s))
                    .add("step", StepDecay.class, (s, t) -> t.scheduler(s))
                    .add("multistep", MultiStep.class, (s, t) -> t.scheduler(s))
                    .add("inverse_time", InverseTime.class, (s, t) -> t.scheduler(s))
                    .add("linear", LinearDecay.class, (s, t) -> t.scheduler(s))
                    .add("cosine", Cosine.class, (s, t) -> t.scheduler(s))
                    .add("cyclic", Cyclic.class, (s, t) -> t.scheduler(s))
                    .add("onecycle", OneCycle.class, (s, t) -> t.scheduler(s))
                    .add("plateau", PlateauScheduler.Options.class,
                            (o, t) -> new PlateauScheduler(o, (int) t.warmup().length(), t.warmup().startFactor()));

    private Schedules() {
    }
}
