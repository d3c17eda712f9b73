package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * A lab that trains each of its arms' configs ({@code examples/lab/LAB/ARM.yaml}) at every value
 * of one setting: {@code bn-lr} sweeps the learning rate, {@code bn-batch-size} and
 * {@code batch-size} the batch size. A run's overrides are, in this order: the lab's seed, the
 * value's own ({@code optimizer.lr=0.3}), quick mode's, and the user's {@code --set}s, so that a
 * user's setting wins. Each run is named {@code ARM-KEYVALUE} ({@code bn-lr0.3}, {@code bn-batch8}),
 * trained into that folder as {@code myelin train} would, added to the table and to
 * {@code summary.json}'s {@code runs}.
 *
 * @param lab    the lab's name, the folder of its configs
 * @param arms   the configs compared, e.g. {@code plain} and {@code bn}
 * @param key    the short name of the swept setting in run names, e.g. {@code lr}
 * @param values the values swept, in the order of the charts' x axis
 * @param sets   the overrides that set one value (and what goes with it, e.g. a scaled learning rate)
 * @param quick  quick mode's overrides
 */
record Sweep(String lab, List<String> arms, String key, double[] values, DoubleFunction<List<String>> sets,
             List<String> quick) {
    /** The runs of every arm, in the order of {@link #values}, after training them all into {@code ctx}'s folder. */
    Map<String, List<LabRun>> train(LabContext ctx, Table table) throws Exception {
        Map<String, List<LabRun>> byArm = new LinkedHashMap<>();
        ObjectNode summary = ctx.summary().putObject("runs");
        for (String arm : arms) {
            List<LabRun> runs = new ArrayList<>();
            for (double v : values) {
                List<String> s = new ArrayList<>(List.of("seed=" + ctx.seed()));
                s.addAll(sets.apply(v));
                if (ctx.quick()) {
                    s.addAll(quick);
                }
                s.addAll(ctx.overrides());
                String name = arm + "-" + key + format(v);
                RunConfig c = ConfigLoader.loadResource("lab/" + lab + "/" + arm + ".yaml", name, s, ctx.dataDir());
                LabRun r = ConfigLab.train(ctx, c, List.of());
                table.add(name, r.history());
                ConfigLab.summarize(summary.putObject(name), r);
                runs.add(r);
            }
            byArm.put(arm, runs);
        }
        return byArm;
    }

    /** A swept value as run names and verdicts print it: {@code 8}, {@code 0.3}, {@code 10}. */
    static String format(double v) {
        return Double.isNaN(v) ? "none" : java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** {@code values} formatted and joined by commas. */
    static String join(double[] values) {
        List<String> r = new ArrayList<>();
        for (double v : values) {
            r.add(format(v));
        }
        return String.join(", ", r);
    }
}
