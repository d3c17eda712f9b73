package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.report.Chart;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.data.ArrayDataset;
import dev.myelin.data.Dataset;
import dev.myelin.data.MnistFormat;
import dev.myelin.data.Splits;
import dev.myelin.data.Standardizer;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Module;
import dev.myelin.nn.Residual;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.init.Init;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab resnet-ensemble}: Veit, Wilber &amp; Belongie, "Residual networks behave like
 * ensembles of relatively shallow networks" (NeurIPS 2016), in Fleuret, "Going deeper",
 * "Residual networks": a residual network is a collection of paths of many lengths, and removing
 * one residual block from a trained resnet leaves most of them, so its test error barely moves;
 * removing one layer of a plain network breaks its only path.
 *
 * <p>Two MLPs of {@link #UNITS} hidden units of width {@link #WIDTH} are trained the same way on
 * Fashion-MNIST (Adam, batch 128): a plain one, whose unit is h &#8614; W&sigma;(h) + b, and a
 * residual one, whose unit is h &#8614; h + W&sigma;(h) + b ({@link Residual}), with He-normal weights
 * in the units; both start with
 * Linear(784, 128) and end with &sigma; and Linear(128, 10). Then, at test time, each unit in turn
 * is deleted (the residual unit becomes the identity; the plain unit's Linear is skipped, which
 * keeps the shapes), and then k = 2 to 5 units at random (10 draws each).
 */
public final class ResnetEnsembleLab implements Experiment {
    static final int WIDTH = 128;
    static final int UNITS = 10;
    static final int TRAIN = 10_000;
    static final int TEST = 10_000;
    static final int DRAWS = 10;
    static final List<String> ARMS = List.of("plain", "residual");

    @Override
    public boolean takesSets() {
        return false;
    }

    @Override
    public String name() {
        return "resnet-ensemble";
    }

    @Override
    public String description() {
        return "deleting units of a trained plain and residual MLP (10 hidden units each) at test time: the resnet barely"
                + " notices, the plain net breaks";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        Rng rng = ctx.rng();
        Splits data = MnistFormat.fashionMnist(MnistFormat.Options.defaults().withDir(ctx.dataDir())
                .withTrainLimit(ctx.quick() ? 600 : TRAIN), null);
        Standardizer pixels = Standardizer.fitScalar(data.train());
        Dataset train = pixels.apply(data.train());
        Dataset test = pixels.apply(ArrayDataset.firstOf(data.test(), ctx.quick() ? 300 : TEST));
        Tensor x = flat(train);
        Tensor y = labels(train);
        Tensor xt = flat(test);
        float[] yt = labels(test).toArray();
        FitLoop loop = new FitLoop(ctx.quick() ? 30 : 5 * TRAIN / 128, 128, 1e-3);
        Map<String, double[]> single = new LinkedHashMap<>();
        Map<String, double[]> byCount = new LinkedHashMap<>();
        Map<String, Double> full = new LinkedHashMap<>();
        Table table = new Table();
        for (String arm : ARMS) {
            Net net = Net.build(arm.equals("residual"), rng.split(arm));
            loop.train(net.model(List.of()), x, y, Loss.crossEntropy(), rng.split(arm + "-batches"));
            double all = accuracy(net.model(List.of()), xt, yt);
            double[] one = new double[UNITS];
            for (int u = 0; u < UNITS; u++) {
                one[u] = accuracy(net.model(List.of(u)), xt, yt);
                table.add(arm, Map.of("deleted_unit", u + 1, "test_accuracy", one[u]));
            }
            double[] k = new double[6];
            k[0] = all;
            k[1] = mean(one);
            Rng draws = rng.split(arm + "-deletions");
            for (int c = 2; c <= 5; c++) {
                double s = 0;
                for (int d = 0; d < DRAWS; d++) {
                    s += accuracy(net.model(randomUnits(c, draws)), xt, yt);
                }
                k[c] = s / DRAWS;
            }
            for (int c = 0; c <= 5; c++) {
                table.add(arm, Map.of("deleted_count", c, "mean_test_accuracy", k[c]));
            }
            ctx.log("%s: test accuracy %.4f; one unit deleted: %s", arm, all, java.util.Arrays.toString(
                    java.util.Arrays.stream(one).map(v -> Math.round(v * 1000) / 1000.0).toArray()));
            full.put(arm, all);
            single.put(arm, one);
            byCount.put(arm, k);
        }
        table.write(ctx.file(RunFolder.METRICS));
        double[] units = new double[UNITS];
        for (int u = 0; u < UNITS; u++) {
            units[u] = u + 1;
        }
        Chart one = Chart.of("one unit deleted at test time", "deleted unit", "test accuracy").yRange(0, 1);
        single.forEach((arm, a) -> one.line(arm, units, a));
        Chart many = Chart.of("k random units deleted (mean of " + DRAWS + " draws)", "units deleted", "test accuracy")
                .yRange(0, 1);
        byCount.forEach((arm, a) -> many.line(arm, new double[] {0, 1, 2, 3, 4, 5}, a));
        Chart.save(ctx.file("resnet-ensemble.png"), one, many);
        ObjectNode s = ctx.summary();
        for (String arm : ARMS) {
            ObjectNode o = s.putObject(arm);
            LabContext.number(o, "test_accuracy", full.get(arm));
            LabContext.number(o, "mean_accuracy_one_deleted", mean(single.get(arm)));
            LabContext.number(o, "worst_accuracy_one_deleted", java.util.Arrays.stream(single.get(arm)).min()
                    .orElse(Double.NaN));
        }
        s.put("chart", "resnet-ensemble.png");
        return ctx.verdict(judge(full, single));
    }

    /** A trained net's parts: its input layer, its units, and its head; {@link #model} leaves units out. */
    private record Net(Module input, List<Module> units, List<Module> head, boolean residual) {
        static Net build(boolean residual, Rng rng) {
            List<Module> units = new ArrayList<>();
            for (int u = 0; u < UNITS; u++) {
                Linear linear = new Linear(WIDTH, WIDTH, rng.split("unit" + u));
                // He initialization, so that the 12-layer plain net's signal neither fades nor grows
                Init.kaimingNormal(linear.weight(), 0, Init.FanMode.FAN_IN, "relu", rng.split("he" + u));
                Module layer = new Sequential(Activation.relu(), linear);
                units.add(residual ? new Residual(layer) : layer);
            }
            return new Net(new Linear(784, WIDTH, rng.split("input")), units,
                    List.of(Activation.relu(), new Linear(WIDTH, 10, rng.split("head"))), residual);
        }

        /** The network without the units at {@code deleted} (0-based), sharing the trained modules. */
        Sequential model(List<Integer> deleted) {
            List<Module> layers = new ArrayList<>(List.of(input));
            for (int u = 0; u < units.size(); u++) {
                if (!deleted.contains(u)) {
                    layers.add(units.get(u));
                }
            }
            layers.addAll(head);
            return new Sequential(layers);
        }
    }

    private static List<Integer> randomUnits(int count, Rng rng) {
        int[] order = new int[UNITS];
        for (int i = 0; i < UNITS; i++) {
            order[i] = i;
        }
        rng.shuffle(order);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(order[i]);
        }
        return out;
    }

    /**
     * The verdict: the residual net "barely" notices a deleted unit when its mean accuracy drop is
     * under a quarter of the plain net's, and the plain net "breaks" when its drop is more than 10
     * points.
     */
    static String judge(Map<String, Double> full, Map<String, double[]> single) {
        double plainDrop = full.get("plain") - mean(single.get("plain"));
        double resDrop = full.get("residual") - mean(single.get("residual"));
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "test accuracy: plain %.4f, residual %.4f."
                        + " With one unit deleted (mean over the %d units; worst): plain %.4f (%.4f), residual %.4f"
                        + " (%.4f).%n", full.get("plain"), full.get("residual"), single.get("plain").length,
                mean(single.get("plain")), min(single.get("plain")), mean(single.get("residual")),
                min(single.get("residual"))));
        b.append(String.format(Locale.ROOT, "Deleting one unit costs the plain net %.1f points and the residual net %.1f."
                + " ", 100 * plainDrop, 100 * resDrop));
        b.append(plainDrop > 0.10 && resDrop < plainDrop / 4
                ? "Consistent with the lecture (Veit et al. 2016): the residual net behaves like an ensemble of shallower"
                + " paths and barely notices, the plain net's single path breaks."
                : plainDrop <= 0.10 ? "The effect does not show in this run: deleting a unit did not break the plain net."
                : "The effect does not show in this run: the residual net lost more than a quarter of what the plain"
                + " net lost.");
        return b.toString();
    }

    private static double accuracy(Module m, Tensor x, float[] y) {
        float[] predicted = Tensor.of(FitLoop.evaluate(m, x), y.length, 10).argmax(1, false).toArray();
        int hits = 0;
        for (int i = 0; i < y.length; i++) {
            hits += predicted[i] == y[i] ? 1 : 0;
        }
        return (double) hits / y.length;
    }

    /** All samples' features as one [n, 784] tensor. */
    private static Tensor flat(Dataset d) {
        int n = d.size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return d.features(idx).reshape(n, d.featureSize());
    }

    private static Tensor labels(Dataset d) {
        float[] y = new float[d.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = d.label(i);
        }
        return Tensor.of(y, y.length);
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(Double.NaN);
    }
}
