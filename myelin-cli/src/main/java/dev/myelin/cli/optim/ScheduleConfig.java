package dev.myelin.cli.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.model.bind.Bindings;
import dev.myelin.model.bind.Choice;
import dev.myelin.model.bind.Binder;
import dev.myelin.model.bind.Source;
import dev.myelin.optim.schedule.LrSchedule;
import dev.myelin.optim.schedule.Warmup;
import dev.myelin.train.Callback;
import dev.myelin.train.LrScheduler;
import dev.myelin.train.PlateauScheduler;
import java.util.List;
import java.util.Locale;

/**
 * The config's {@code schedule}: a learning-rate schedule by name with its options
 * ({@link Schedules}), {@code every: step | epoch} (each schedule has a default), and an optional
 * linear {@code warmup: {length: N, start_factor: 0.1}} in the same unit; or {@code plateau}
 * (performance scheduling, once per epoch, on a monitored metrics.csv column). Absent: the rate
 * stays constant.
 *
 * @param choice the schedule and its options
 * @param timing when it runs and its warm-up
 */
public record ScheduleConfig(Choice<Timing, Callback> choice, Timing timing) {
    public static final List<String> NAMES = Schedules.ALL.names();

    /**
     * When a schedule runs: {@code every} step or epoch, after {@code warmup}.
     *
     * @param every  STEP or EPOCH
     * @param warmup the warm-up (length 0: none)
     */
    public record Timing(LrSchedule.Unit every, Warmup.Options warmup) {
        /** The callback that applies {@code s} in this unit, warm-up first. */
        Callback scheduler(LrSchedule s) {
            return new LrScheduler(warmup.length() > 0 ? s.withWarmup(warmup.length(), warmup.startFactor()) : s, every);
        }
    }

    public String name() {
        return choice.name();
    }

    /** Validates the {@code schedule} node; {@code hasValidation} says whether val_* metrics exist. */
    public static ScheduleConfig parse(Source src, JsonNode node, boolean hasValidation) {
        ObjectNode o = node != null && node.isTextual() ? JsonNodeFactory.instance.objectNode().put("name", node.asText())
                : node != null && node.isObject() ? ((ObjectNode) node).deepCopy() : null;
        if (o == null) {
            throw src.error("schedule", "a schedule such as {name: cosine, t_max: 10}", Source.describe(node),
                    "Write e.g. `schedule: {name: cosine, t_max: 10}`");
        }
        JsonNode every = o.remove("every");
        JsonNode warmup = o.remove("warmup");
        var choice = Choice.read(Schedules.ALL, Bindings.BINDER, src, "schedule", o, Choice.Style.NAMED);
        boolean plateau = choice.options() instanceof PlateauScheduler.Options;
        LrSchedule.Unit unit = plateau ? LrSchedule.Unit.EPOCH : ((LrSchedule) choice.options()).defaultUnit();
        if (every != null) {
            unit = (LrSchedule.Unit) Bindings.BINDER.value(LrSchedule.Unit.class, src, "schedule.every", every);
            if (plateau && unit != LrSchedule.Unit.EPOCH) {
                throw src.error("schedule.every", "epoch (plateau runs once per epoch)", Source.describe(every),
                        "Write every: epoch or remove it");
            }
        }
        Warmup.Options w = Bindings.BINDER.read(Warmup.Options.class, src, "schedule.warmup", warmup,
                "`warmup: {length: 5, start_factor: 0.1}`");
        if (plateau && ((PlateauScheduler.Options) choice.options()).monitor().startsWith("val_") && !hasValidation) {
            throw src.error(Binder.sub("schedule", "monitor"), "a metric the run computes",
                    ((PlateauScheduler.Options) choice.options()).monitor() + " without a validation split",
                    "Set data.validation (e.g. 0.1) or monitor: train_loss");
        }
        return new ScheduleConfig(choice, new Timing(unit, w));
    }

    /** The training callback that applies the schedule. */
    public Callback create() {
        return choice.build(timing);
    }

    /** The resolved form. */
    public ObjectNode toTree() {
        JsonNode c = choice.write(Bindings.BINDER);
        ObjectNode o = c.isObject() ? (ObjectNode) c : JsonNodeFactory.instance.objectNode().put("name", c.asText());
        o.put("every", timing.every().name().toLowerCase(Locale.ROOT));
        if (timing.warmup().length() > 0) {
            o.set("warmup", Bindings.BINDER.write(timing.warmup()));
        }
        return o;
    }
}
