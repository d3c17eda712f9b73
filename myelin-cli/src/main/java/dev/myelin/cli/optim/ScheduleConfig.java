package dev.myelin.cli.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.cli.yaml.Source;
import dev.myelin.optim.schedule.LrSchedule;
import dev.myelin.optim.schedule.ReduceLrOnPlateau;
import dev.myelin.train.Callback;
import dev.myelin.train.LrScheduler;
import dev.myelin.train.PlateauScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The config's {@code schedule}: a learning-rate schedule by name with its options,
 * {@code every: step | epoch} (each schedule has a default), and an optional linear
 * {@code warmup: {length: N, start_factor: 0.1}} in the same unit; or {@code plateau}
 * (performance scheduling, once per epoch, on a monitored metrics.csv column). Absent: the rate
 * stays constant.
 *
 * @param name one of {@link #NAMES}
 * @param values the schedule's options, defaults filled in
 * @param every "step" or "epoch"
 * @param warmupLength the warm-up length (0: none)
 * @param warmupStart the warm-up's start factor
 */
public record ScheduleConfig(String name, OptValues values, String every, int warmupLength, double warmupStart) {
    public static final List<String> NAMES = names();
    static final List<String> MONITORS = List.of("val_loss", "val_accuracy", "train_loss", "train_accuracy");
    private static final List<Opt> PLATEAU = List.of(Opt.choice("monitor", "val_loss", MONITORS),
            Opt.choice("mode", "auto", List.of("auto", "min", "max")),
            Opt.number("factor", 0.1, v -> v > 0 && v < 1, "a number in (0, 1)"), Opt.integer("patience", 10, 0),
            Opt.nonNegative("threshold", 1e-4), Opt.choice("threshold_mode", "rel", List.of("rel", "abs")),
            Opt.integer("cooldown", 0, 0), Opt.nonNegative("min_lr", 0), Opt.nonNegative("eps", 1e-8));

    private static List<String> names() {
        List<String> n = new ArrayList<>(ScheduleKind.ALL.stream().map(ScheduleKind::name).toList());
        n.add("plateau");
        return List.copyOf(n);
    }

    /** Validates the {@code schedule} node; {@code hasValidation} says whether val_* metrics exist. */
    public static ScheduleConfig parse(Source src, JsonNode node, boolean hasValidation) {
        if (node != null && node.isTextual()) {
            node = JsonNodeFactory.instance.objectNode().put("name", node.asText());
        }
        Fields f = Fields.of(src, "schedule", node, "Write e.g. `schedule: {name: cosine, t_max: 10}`");
        String name = f.choice("name", null, NAMES);
        boolean plateau = name.equals("plateau");
        OptValues values = OptValues.read(f, table(name), null);
        String dflt = plateau ? "epoch" : ScheduleKind.find(name).orElseThrow().create().apply(values).defaultUnit().label();
        String every = f.choice("every", dflt, plateau ? List.of("epoch") : List.of("step", "epoch"));
        Fields w = Fields.of(src, f.path("warmup"), f.raw("warmup"), "Write e.g. `warmup: {length: 5, start_factor: 0.1}`");
        int length = w.integer("length", 0, 0, "length: 5");
        double start = w.number("start_factor", 0.1, "start_factor: 0.1");
        w.check("start_factor", start, start >= 0 && start <= 1, "a number in [0, 1]", "start_factor: 0.1");
        w.finish("(length in " + every + "s, start_factor)");
        if (plateau && values.text("monitor").startsWith("val_") && !hasValidation) {
            throw src.error(f.path("monitor"), "a metric the run computes", values.text("monitor")
                    + " without a validation split", "Set data.validation (e.g. 0.1) or monitor: train_loss");
        }
        f.finish("for schedule " + name);
        return new ScheduleConfig(name, values, every, length, start);
    }

    private static List<Opt> table(String name) {
        return name.equals("plateau") ? PLATEAU : ScheduleKind.find(name).orElseThrow().options();
    }

    /** The training callback that applies the schedule. */
    public Callback create() {
        if (name.equals("plateau")) {
            return new PlateauScheduler(new ReduceLrOnPlateau(plateauOptions()), values.text("monitor"), warmupLength,
                    warmupStart);
        }
        LrSchedule s = ScheduleKind.find(name).orElseThrow().create().apply(values);
        if (warmupLength > 0) {
            s = s.withWarmup(warmupLength, warmupStart);
        }
        return new LrScheduler(s, LrSchedule.Unit.valueOf(every.toUpperCase(Locale.ROOT)));
    }

    private ReduceLrOnPlateau.Options plateauOptions() {
        String mode = values.text("mode");
        if (mode.equals("auto")) {
            mode = values.text("monitor").endsWith("accuracy") ? "max" : "min";
        }
        return new ReduceLrOnPlateau.Options(ReduceLrOnPlateau.Mode.valueOf(mode.toUpperCase(Locale.ROOT)),
                values.number("factor"), values.integer("patience"), values.number("threshold"),
                ReduceLrOnPlateau.ThresholdMode.valueOf(values.text("threshold_mode").toUpperCase(Locale.ROOT)),
                values.integer("cooldown"), values.number("min_lr"), values.number("eps"));
    }

    /** The resolved form. */
    public ObjectNode toTree() {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("name", name);
        values.write(o, table(name));
        o.put("every", every);
        if (warmupLength > 0) {
            o.putObject("warmup").put("length", warmupLength).put("start_factor", warmupStart);
        }
        return o;
    }
}
