package dev.myelin.cli.lab;

import dev.myelin.cli.report.Chart;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.cli.run.UserException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab transfer}: transfer learning as Géron's Hands-On Machine Learning (ch. 11)
 * runs it and the lecture "Training Deep Neural Networks" (transfer learning) recommends it.
 * A network is pretrained on the 8 Fashion-MNIST classes other than sandal and shirt
 * ({@code pretrain}); then sandal vs shirt is learned from only 200 training images three ways:
 * from scratch, from the pretrained hidden layers kept frozen (only the new head trains), and
 * frozen for 5 epochs, then thawed with a ten times smaller learning rate. Each of the three is
 * trained with several seeds (initialization of the new layers, shuffling); the test accuracy
 * on the 2,000 test images of the two classes is compared by its mean and standard error. The
 * runs are {@code examples/lab/transfer/*.yaml}; the lab points their {@code transfer.init_from}
 * at its own pretrain run.
 */
public final class TransferLab implements Experiment {
    /** The three ways of learning the new task, in the order reported. */
    static final List<String> ARMS = List.of("scratch", "frozen", "thawed");
    private static final String PRETRAIN = "pretrain";
    private static final int SEEDS = 5;
    private static final int QUICK_SEEDS = 2;
    private static final List<String> QUICK_PRETRAIN = List.of("data.train_limit=600", "data.test_limit=200", "epochs=1");
    private static final List<String> QUICK_ARM = List.of("data.train_limit=60", "data.test_limit=100", "epochs=6");

    @Override
    public String name() {
        return "transfer";
    }

    @Override
    public String description() {
        return "pretrain on 8 Fashion-MNIST classes, then sandal vs shirt from 200 images: scratch vs frozen vs thawed"
                + " (test accuracy over seeds)";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        String pretrainedAt = ctx.file(PRETRAIN).toAbsolutePath().toString();
        int seeds = ctx.quick() ? QUICK_SEEDS : SEEDS;
        List<RunConfig> configs = new ArrayList<>();
        configs.add(config(ctx, PRETRAIN, PRETRAIN, ctx.seed(), ctx.quick() ? QUICK_PRETRAIN : List.of()));
        for (int s = 0; s < seeds; s++) {
            for (String arm : ARMS) {
                List<String> sets = new ArrayList<>(ctx.quick() ? QUICK_ARM : List.of());
                if (!arm.equals("scratch")) {
                    sets.add("transfer.init_from=" + pretrainedAt);
                }
                configs.add(config(ctx, arm, arm + "-seed" + s, ctx.seed() + s, sets));
            }
        }
        Table table = new Table();
        ObjectNode summary = ctx.summary().putObject("runs");
        Map<String, List<LabRun>> byArm = new LinkedHashMap<>();
        ARMS.forEach(a -> byArm.put(a, new ArrayList<>()));
        LabRun pretrained = null;
        for (RunConfig c : configs) {
            LabRun r = ConfigLab.train(ctx, c, List.of());
            table.add(r.name(), r.history());
            ConfigLab.summarize(summary.putObject(r.name()), r);
            String arm = c.name().contains("-seed") ? c.name().substring(0, c.name().indexOf("-seed")) : null;
            if (arm != null) {
                byArm.get(arm).add(r);
            } else {
                pretrained = r;
            }
        }
        table.write(ctx.file(RunFolder.METRICS));
        String verdict = verdict(ctx, byArm, pretrained);
        return ctx.verdict(verdict);
    }

    /**
     * Run {@code file}'s config as run {@code name}: its seed, then the lab's own settings, then
     * the user's {@code --set KEY=VALUE} (every run) and {@code --set FILE:KEY=VALUE} (that config's runs).
     */
    private static RunConfig config(LabContext ctx, String file, String name, long seed, List<String> extra) {
        List<String> sets = new ArrayList<>(List.of("seed=" + seed));
        sets.addAll(extra);
        for (String set : ctx.overrides()) {
            String prefix = ConfigLab.runPrefix(set);
            if (prefix != null && !prefix.equals(PRETRAIN) && !ARMS.contains(prefix)) {
                throw new UserException("lab transfer: --set " + set + ": expected RUN:KEY=VALUE with RUN one of "
                        + PRETRAIN + ", " + String.join(", ", ARMS) + ", found '" + prefix + "'");
            }
        }
        sets.addAll(ConfigLab.setsOf(file, ctx.overrides()));
        return ConfigLoader.loadResource("lab/transfer/" + file + ".yaml", name, sets, ctx.dataDir());
    }

    /** Mean and standard error of the arms' test accuracies, the chart, and what they show. */
    private static String verdict(LabContext ctx, Map<String, List<LabRun>> byArm, LabRun pre) throws Exception {
        ObjectNode s = ctx.summary();
        Map<String, Stats> stats = new LinkedHashMap<>();
        byArm.forEach((arm, runs) -> stats.put(arm, Stats.of(runs.stream().mapToDouble(LabRun::testAccuracy).toArray())));
        stats.forEach((arm, st) -> {
            ObjectNode o = s.putObject(arm);
            LabContext.number(o, "mean_test_accuracy", st.mean());
            LabContext.number(o, "standard_error", st.se());
            st.values().forEach(o.putArray("test_accuracy")::add);
        });
        LabContext.number(s, "pretrain_test_accuracy", pre.testAccuracy());
        s.put("chart", "transfer.png");
        Chart.save(ctx.file("transfer.png"), 2, List.of(errorsChart(stats), lossChart(byArm)));
        return judge(stats, pre.testAccuracy());
    }

    private static Chart errorsChart(Map<String, Stats> stats) {
        Chart c = Chart.of("test error on sandal vs shirt, per seed", "seed", "test error (%)");
        stats.forEach((arm, st) -> {
            double[] x = new double[st.values().size()];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
                y[i] = 100 * (1 - st.values().get(i));
            }
            c.points(String.format(Locale.ROOT, "%s (mean %.2f%%)", arm, 100 * (1 - st.mean())), x, y);
        });
        return c;
    }

    /** Each arm's training loss per epoch, averaged over the seeds. */
    private static Chart lossChart(Map<String, List<LabRun>> byArm) {
        Chart c = Chart.of("training loss (mean over seeds)", "epoch", "cross-entropy").logY();
        byArm.forEach((arm, runs) -> {
            int epochs = runs.stream().mapToInt(r -> r.history().epochs().size()).min().orElse(0);
            double[] x = new double[epochs];
            double[] y = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                x[e] = e + 1;
                final int k = e;
                y[e] = runs.stream().mapToDouble(r -> r.history().epochs().get(k).trainLoss()).average().orElse(Double.NaN);
            }
            c.line(arm, x, y);
        });
        return c;
    }

    /**
     * Transfer beats scratch when the better transfer arm's mean accuracy is more than two
     * standard errors of the difference above scratch's; it loses when it is that far below.
     */
    static String judge(Map<String, Stats> stats, double pretrainAccuracy) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "pretrain (8 classes) test accuracy %.4f%n", pretrainAccuracy));
        stats.forEach((arm, st) -> b.append(String.format(Locale.ROOT,
                "%-8s test accuracy %.4f ± %.4f (mean ± standard error over %d seeds; error %.2f%%)%n",
                arm, st.mean(), st.se(), st.values().size(), 100 * (1 - st.mean()))));
        Stats scratch = stats.get("scratch");
        String best = stats.get("thawed").mean() >= stats.get("frozen").mean() ? "thawed" : "frozen";
        Stats t = stats.get(best);
        double diff = t.mean() - scratch.mean();
        double se = Math.sqrt(t.se() * t.se() + scratch.se() * scratch.se());
        double errorRatio = (1 - scratch.mean()) / Math.max(1 - t.mean(), 1e-12);
        if (diff > 2 * se) {
            b.append(String.format(Locale.ROOT, "Transfer beat training from scratch: %s is %.2f points more accurate"
                    + " (%.1f standard errors); the error rate fell from %.2f%% to %.2f%% (%.1fx fewer errors), as the"
                    + " lecture says reusing pretrained lower layers needs less data.", best, 100 * diff,
                    se > 0 ? diff / se : Double.POSITIVE_INFINITY, 100 * (1 - scratch.mean()), 100 * (1 - t.mean()),
                    errorRatio));
        } else if (diff < -2 * se) {
            b.append(String.format(Locale.ROOT, "Transfer did worse than training from scratch here: the better"
                    + " transfer run (%s) is %.2f points less accurate (%.1f standard errors); the lecture's claim does"
                    + " not show on this task.", best, -100 * diff, -diff / se));
        } else {
            b.append(String.format(Locale.ROOT, "No clear difference: %s is %+.2f points from scratch, within two"
                    + " standard errors (%.2f points); the effect does not show with these seeds.", best, 100 * diff,
                    200 * se));
        }
        return b.toString();
    }

    /** Test accuracies over seeds: their mean and the standard error of the mean. */
    record Stats(List<Double> values, double mean, double se) {
        static Stats of(double[] v) {
            double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
            double ss = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
            double se = v.length > 1 ? Math.sqrt(ss / (v.length - 1) / v.length) : Double.NaN;
            return new Stats(java.util.Arrays.stream(v).boxed().toList(), mean, se);
        }
    }
}
