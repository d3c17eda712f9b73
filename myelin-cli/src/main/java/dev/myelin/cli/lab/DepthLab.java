package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.report.Chart;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab depth}: Fleuret, "Going deeper", "Benefits and challenges of greater depth"
 * (after Telgarsky 2015, 2016): a ReLU network with D hidden layers of 2 units computes a
 * sawtooth f with 2^D linear pieces ({@link Sawtooth}), while a one-hidden-layer network of width
 * W has at most W + 1 pieces, so that ‖f &minus; g‖&#8321; &ge; &frac18;(1 &minus; &kappa;(g)/2^D):
 * "to approximate f properly, the width of g's hidden layer has to increase exponentially with
 * f's depth".
 *
 * <p>The lab builds the sawtooth for each depth by hand and counts its pieces; then it trains
 * one-hidden-layer networks of growing width to fit it (mean squared error on 1,024 points of
 * [0, 1], Adam), and reports each fit's L1 error, its pieces (exactly, from its kinks) and the
 * lecture's lower bound. The width needed is the smallest tried whose L1 error is at most
 * {@link #FIT}; the claim shows when log&#8322; of the width needed grows with D at a slope of at
 * least 0.75 (doubling per layer is 1; growing linearly in D, as the deep network's 2D units do,
 * gives less than 0.5 from D = 2 on).
 */
public final class DepthLab implements Experiment {
    static final int[] DEPTHS = {1, 2, 3, 4, 5, 6};
    static final int[] WIDTHS = {2, 4, 8, 16, 32, 64, 128, 256};
    /** The L1 error on [0, 1] at which a shallow network counts as fitting (a constant's error is 1/4). */
    static final double FIT = 0.02;
    /** The slope of log2(width needed) over D from which the growth counts as exponential. */
    static final double EXPONENTIAL = 0.75;
    static final int GRID = 4096;
    private static final int POINTS = 1024;
    private static final int STEPS = 3000;

    @Override
    public boolean takesSets() {
        return false;
    }

    @Override
    public String name() {
        return "depth";
    }

    @Override
    public String description() {
        return "the sawtooth of D layers of 2 ReLU units (2^D pieces) against one-hidden-layer nets of growing width:"
                + " the width needed to fit it";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        int[] depths = ctx.quick() ? new int[] {1, 2} : DEPTHS;
        int[] widths = ctx.quick() ? new int[] {2, 8} : WIDTHS;
        int steps = ctx.quick() ? 200 : STEPS;
        Tensor grid = Sawtooth.grid(GRID);
        Tensor in = trainingPoints();
        Table table = new Table();
        ObjectNode summary = ctx.summary().putObject("depths");
        Map<Integer, double[]> errors = new LinkedHashMap<>();
        Map<Integer, Integer> needed = new LinkedHashMap<>();
        List<Chart> panels = new ArrayList<>();
        for (int depth : depths) {
            Sequential sawtooth = Sawtooth.network(depth);
            float[] f = FitLoop.evaluate(sawtooth, grid);
            Tensor target = Tensor.of(FitLoop.evaluate(sawtooth, in), POINTS, 1);
            int pieces = Sawtooth.pieces(f);
            ObjectNode d = summary.putObject(Integer.toString(depth)).put("deep_units", 2 * depth)
                    .put("deep_pieces", pieces);
            double[] err = new double[widths.length];
            Integer need = null;
            for (int i = 0; i < widths.length; i++) {
                Fit fit = fit(ctx.rng().split("depth" + depth + "-width" + widths[i]), widths[i], steps, in, target,
                        grid);
                err[i] = Sawtooth.l1(f, fit.values());
                double bound = Math.max(0, (1 - (double) fit.pieces() / Math.pow(2, depth)) / 8);
                table.add("D" + depth, Map.of("width", widths[i], "l1_error", err[i], "pieces", fit.pieces(),
                        "lower_bound", bound));
                LabContext.number(d.putObject("width" + widths[i]).put("pieces", fit.pieces())
                        .put("lower_bound", bound), "l1_error", err[i]);
                if (need == null && err[i] <= FIT) {
                    need = widths[i];
                }
                if (depth == 4 && i == widths.length - 1 || ctx.quick() && depth == depths[depths.length - 1]
                        && i == widths.length - 1) {
                    panels.add(picture(depth, f, fit.values(), widths[i]));
                }
            }
            ctx.log("D=%d: the deep net has %d pieces with %d units; L1 errors of widths %s: %s", depth, pieces,
                    2 * depth, java.util.Arrays.toString(widths), java.util.Arrays.toString(round(err)));
            errors.put(depth, err);
            needed.put(depth, need);
            if (need != null) {
                d.put("width_needed", need);
            } else {
                d.putNull("width_needed");
            }
        }
        table.write(ctx.file(RunFolder.METRICS));
        double[] w = java.util.Arrays.stream(widths).asDoubleStream().toArray();
        Chart c = Chart.of("one hidden layer fitting the depth-D sawtooth", "hidden units", "L1 error on [0, 1]")
                .logX().logY();
        errors.forEach((depth, e) -> c.line("D=" + depth, w, e));
        c.line("fit threshold", w, java.util.Arrays.stream(w).map(x -> FIT).toArray());
        panels.add(0, c);
        Chart.save(ctx.file("depth.png"), 2, panels);
        ctx.summary().put("fit_threshold", FIT).put("chart", "depth.png");
        String v = judge(needed, widths[widths.length - 1]);
        LabContext.number(ctx.summary(), "slope", slope(needed));
        return ctx.verdict(v);
    }

    /** A trained shallow network's outputs on the grid and its pieces. */
    private record Fit(float[] values, int pieces) {
    }

    /** The training inputs: the midpoints of {@link #POINTS} equal cells of [0, 1], as [POINTS, 1]. */
    private static Tensor trainingPoints() {
        float[] x = new float[POINTS];
        for (int i = 0; i < POINTS; i++) {
            x[i] = (i + 0.5f) / POINTS;
        }
        return Tensor.of(x, POINTS, 1);
    }

    /** Trains Linear(1, W) - ReLU - Linear(W, 1) on ({@code in}, {@code target}) by MSE, full batch, Adam. */
    private static Fit fit(Rng rng, int width, int steps, Tensor in, Tensor target, Tensor grid) {
        Linear hidden = new Linear(1, width, rng.split("hidden"));
        Linear out = new Linear(width, 1, rng.split("out"));
        Sequential g = new Sequential(hidden, Activation.relu(), out);
        new FitLoop(steps, POINTS, 0.01).train(g, in, target, Loss.mse(), rng.split("batches"));
        return new Fit(FitLoop.evaluate(g, grid), Sawtooth.pieces(hidden, out));
    }

    /** The sawtooth and a fit on 257 of the grid's points (markers on all 4,097 would hide the lines). */
    private static Chart picture(int depth, float[] f, float[] g, int width) {
        int every = (f.length - 1) / 256;
        double[] x = new double[257];
        double[] fy = new double[257];
        double[] gy = new double[257];
        for (int i = 0; i <= 256; i++) {
            x[i] = (double) i / 256;
            fy[i] = f[i * every];
            gy[i] = g[i * every];
        }
        return Chart.of("the depth-" + depth + " sawtooth and a fit of width " + width, "x", "y")
                .line("sawtooth (" + 2 * depth + " units)", x, fy).line("width " + width, x, gy);
    }

    /** The least-squares slope of log2(width needed) over the depths that some width fitted (NaN below 3). */
    static double slope(Map<Integer, Integer> needed) {
        List<double[]> pts = new ArrayList<>();
        needed.forEach((d, w) -> {
            if (w != null) {
                pts.add(new double[] {d, Math.log(w) / Math.log(2)});
            }
        });
        if (pts.size() < 3) {
            return Double.NaN;
        }
        double mx = pts.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double my = pts.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (double[] p : pts) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        return sxy / sxx;
    }

    /** The verdict from the width each depth needed (null: no width tried fitted it). */
    static String judge(Map<Integer, Integer> needed, int widest) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "width a single hidden layer needed to reach L1 error %s on the depth-D sawtooth (2D units deep):",
                Sweep.format(FIT)));
        needed.forEach((d, w) -> b.append(String.format(Locale.ROOT, " D=%d: %s;", d, w == null ? "more than " + widest
                : Integer.toString(w))));
        b.setLength(b.length() - 1);
        double s = slope(needed);
        long unfitted = needed.values().stream().filter(w -> w == null).count();
        b.append(String.format(Locale.ROOT, "%n"));
        if (Double.isNaN(s)) {
            return b.append("Fewer than three depths were fitted by any width tried, so the lab cannot measure the"
                    + " growth.").toString();
        }
        b.append(String.format(Locale.ROOT, "log2 of the width needed grows by %.2f per layer of depth (1: doubling)"
                + "%s. ", s, unfitted > 0 ? String.format(Locale.ROOT, ", and %d deeper sawtooth(s) were not fitted by"
                + " %d units, while the deep network computes each exactly", unfitted, widest) : ""));
        b.append(s >= EXPONENTIAL
                ? "Consistent with the lecture (Telgarsky 2016): the width needed grows exponentially with the depth"
                + " of the function, the deep network's units only linearly. (The fewest units that can have the 2^D"
                + " pieces at all are 2^D - 1; gradient descent needed more.)"
                : "The effect does not show in this run: the width needed did not grow exponentially with depth.");
        return b.toString();
    }

    private static double[] round(double[] v) {
        return java.util.Arrays.stream(v).map(x -> Math.round(x * 1e4) / 1e4).toArray();
    }
}
