package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.report.Chart;
import dev.myelin.cli.run.RunFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab lr-bound}: the learning-rate bound of Strojové učení II, "Deep Feedforward
 * Networks" (SGD, "Choice of the LR is critical!"): with a gradient that is K-Lipschitz,
 * gradient descent θ ← θ − ε∇f converges for 0 &lt; ε &lt; 2/K.
 * <ul>
 *   <li>On a quadratic f(w) = ½ Σ λᵢ wᵢ² (λ = 1, 10, 100, so K = λmax = 100) the bound is exact:
 *       along the steepest direction each step multiplies w by 1 − ελmax, whose size is below 1
 *       exactly when ε &lt; 2/K. The lab runs ε = c · 2/K for c from 0.5 to 1.1.</li>
 *   <li>On the lecture's f(x) = sin(x)·cos(4x) (f = ½(sin 5x − sin 3x), so
 *       f'' = ½(9 sin 3x − 25 sin 5x) and K = max |f''|, found on a fine grid) the bound is
 *       sufficient, not necessary: from 41 starts, below 2/K every run must reach a stationary
 *       point; above it some may still do so where the curvature near their minimum is lower.</li>
 * </ul>
 * No training run: a program, like {@code conditioning}; it takes no {@code --set}.
 */
public final class LrBoundLab implements Experiment {
    static final double[] LAMBDAS = {1, 10, 100};
    static final double[] FACTORS = {0.5, 0.9, 0.99, 1.01, 1.1};
    private static final int STARTS = 41;

    @Override
    public boolean takesSets() {
        return false;
    }

    @Override
    public String name() {
        return "lr-bound";
    }

    @Override
    public String description() {
        return "gradient descent converges for learning rates below 2/K (K: the gradient's Lipschitz constant): a"
                + " quadratic, where the bound is exact, and the lecture's sin(x)cos(4x)";
    }

    /** Gradient descent on ½ Σ λᵢ wᵢ² from w = 1: f after each step. */
    static double[] quadratic(double lr, int steps) {
        double[] w = {1, 1, 1};
        double[] f = new double[steps + 1];
        for (int t = 0; t <= steps; t++) {
            double v = 0;
            for (int i = 0; i < w.length; i++) {
                v += 0.5 * LAMBDAS[i] * w[i] * w[i];
            }
            f[t] = v;
            for (int i = 0; i < w.length; i++) {
                w[i] -= lr * LAMBDAS[i] * w[i];
            }
        }
        return f;
    }

    static double derivative(double x) {
        return 0.5 * (5 * Math.cos(5 * x) - 3 * Math.cos(3 * x));
    }

    static double second(double x) {
        return 0.5 * (9 * Math.sin(3 * x) - 25 * Math.sin(5 * x));
    }

    /** K = max |f''| over one period [0, 2π], on a grid of a million points. */
    static double lipschitz() {
        double k = 0;
        int n = 1_000_000;
        for (int i = 0; i <= n; i++) {
            k = Math.max(k, Math.abs(second(2 * Math.PI * i / n)));
        }
        return k;
    }

    /** True when gradient descent from x reaches |f'| &lt; 1e-8 within the steps. */
    static boolean converges(double x, double lr, int steps) {
        for (int t = 0; t < steps; t++) {
            double g = derivative(x);
            if (Math.abs(g) < 1e-8) {
                return true;
            }
            x -= lr * g;
        }
        return Math.abs(derivative(x)) < 1e-8;
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        int steps = 100;
        int steps1d = ctx.quick() ? 2000 : 20000;
        double kq = LAMBDAS[LAMBDAS.length - 1];
        double k1 = lipschitz();
        Table table = new Table();
        Chart curves = Chart.of("quadratic (K = 100): f after each step", "step", "f(w)").logY();
        Map<Double, double[]> traces = new LinkedHashMap<>();
        Map<Double, Double> share = new LinkedHashMap<>();
        double[] x = new double[steps + 1];
        for (int t = 0; t <= steps; t++) {
            x[t] = t;
        }
        for (double c : FACTORS) {
            double[] f = quadratic(c * 2 / kq, steps);
            traces.put(c, f);
            curves.line(String.format(Locale.ROOT, "lr = %.2f x 2/K", c), x, f);
            int ok = 0;
            for (int s = 0; s < STARTS; s++) {
                ok += converges(-3 + 6.0 * s / (STARTS - 1), c * 2 / k1, steps1d) ? 1 : 0;
            }
            share.put(c, (double) ok / STARTS);
            table.add(String.format(Locale.ROOT, "c%.2f", c), Map.of("lr_factor", c, "quadratic_final_f", f[steps],
                    "sin_cos_converged_share", (double) ok / STARTS));
        }
        table.write(ctx.file(RunFolder.METRICS));
        Chart starts = Chart.of("sin(x)cos(4x) (K = " + String.format(Locale.ROOT, "%.2f", k1)
                + "): starts that converge", "lr / (2/K)", "share of 41 starts").yRange(0, 1.05);
        starts.points("converged", FACTORS, share.values().stream().mapToDouble(Double::doubleValue).toArray());
        Chart.save(ctx.file("lr-bound.png"), curves, starts);
        ObjectNode s = ctx.summary();
        s.put("quadratic_lipschitz", kq);
        s.put("sin_cos_lipschitz", k1);
        ObjectNode q = s.putObject("quadratic_final_f");
        traces.forEach((c, v) -> LabContext.number(q, String.valueOf(c), v[v.length - 1]));
        ObjectNode c1 = s.putObject("sin_cos_converged_share");
        share.forEach((c, v) -> c1.put(String.valueOf(c), v));
        s.put("chart", "lr-bound.png");
        return judge(traces, share, k1);
    }

    /**
     * The verdict from the numbers: f along each rate's run on the quadratic (converging: still
     * falling in the second half, below its start; diverging: above its start), and the share of
     * the 1-D function's starts that converged.
     */
    static String judge(Map<Double, double[]> traces, Map<Double, Double> share, double k1) {
        List<String> below = new ArrayList<>();
        List<String> above = new ArrayList<>();
        boolean exact = true;
        boolean sufficient = true;
        for (double c : traces.keySet()) {
            double[] f = traces.get(c);
            double last = f[f.length - 1];
            boolean falling = last < f[f.length / 2] && last < f[0];
            boolean grew = !(last < f[0]);
            (c < 1 ? below : above).add(String.format(Locale.ROOT, "%.2f: f %.3g", c, last));
            exact &= c < 1 ? falling : grew;
            sufficient &= c >= 1 || share.get(c) == 1.0;
        }
        double aboveShare = traces.keySet().stream().filter(c -> c >= 1).mapToDouble(share::get).average().orElse(0);
        String q = String.format(Locale.ROOT, "Quadratic (K = 100, f = 55.5 at the start), lr = c x 2/K, f after %d"
                + " steps: %s; above the bound:"
                + " %s. %s", traces.values().iterator().next().length - 1, String.join(", ", below),
                String.join(", ", above), exact
                ? "The bound is exact here: under every rate below 2/K f kept falling, under every one above it grew."
                : "The effect does not show as the lecture states it: a rate below 2/K did not converge, or one above did"
                + " not diverge.");
        String s = String.format(Locale.ROOT, "sin(x)cos(4x) (K = max|f''| = %.3f): below 2/K %s of the 41 starts"
                + " reached a stationary point%s; above it %.0f%% did on average. %s", k1,
                sufficient ? "all" : "not all", sufficient ? "" : " (the bound did not hold)", 100 * aboveShare,
                sufficient ? (aboveShare > 0 ? "The bound is sufficient, not necessary: near the minimum it reaches, a"
                        + " run needs only lr < 2/f''(x*), and f'' there can be below K." : "Above it none converged.")
                        : "This contradicts the lecture's guarantee.");
        return q + "\n" + s;
    }
}
