package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.report.Chart;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.nn.Linear;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab shattered-gradients}: Fleuret, "Going deeper", after Balduzzi et al.,
 * "The shattered gradients problem: if resnets are the answer, then what is the question?"
 * (2017): depth "shatters" the relation between the input and the gradient with respect to the
 * input, and residual networks mitigate this. At initialization, the gradient dy/dx of a deep
 * plain ReLU network along a line of inputs looks like white noise, that of a 1-layer network or
 * of a deep residual network like brown noise.
 *
 * <p>For one scalar input x on 256 evenly spaced points of [&minus;2, 2] and one scalar output,
 * the lab builds, at He initialization (PyTorch's default biases) and width {@link #WIDTH}:
 * <pre>
 * plain:     h_1 = W_1 x + b_1,  h_(l+1) = W_(l+1) a_l + b_(l+1),         y = v&middot;a_L + c
 * residual:  h_1 = W_1 x + b_1,  h_(l+1) = h_l + W_(l+1) a_l + b_(l+1),   y = v&middot;a_L + c
 * a_1 = &sigma;(h_1),  a_l = &sigma;(BN(h_l)) for l &ge; 2
 * </pre>
 * with batch normalization over the 256 inputs before each ReLU after the first, as in Balduzzi
 * et al.'s networks (pre-activation blocks for the residual net), and measures, by
 * backpropagation, dy/dx at each point. The figure is the
 * correlation of the gradients at neighbouring inputs (lag 1, spacing 4/255), averaged over
 * {@link #SEEDS} initializations: about 1 for brown noise, 0 for white noise.
 */
public final class ShatteredGradientsLab implements Experiment {
    static final int[] DEPTHS = {1, 2, 4, 8, 16, 32, 64};
    static final int WIDTH = 128;
    static final int POINTS = 256;
    static final int SEEDS = 8;
    static final List<String> ARMS = List.of("plain", "residual");

    @Override
    public boolean takesSets() {
        return false;
    }

    @Override
    public String name() {
        return "shattered-gradients";
    }

    @Override
    public String description() {
        return "the correlation of dy/dx at neighbouring inputs at initialization, plain vs residual ReLU nets of depth"
                + " 1..64";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        int[] depths = ctx.quick() ? new int[] {1, 4} : DEPTHS;
        int seeds = ctx.quick() ? 2 : SEEDS;
        float[] xs = new float[POINTS];
        for (int i = 0; i < POINTS; i++) {
            xs[i] = -2 + 4f * i / (POINTS - 1);
        }
        Map<String, double[]> corr = new LinkedHashMap<>();
        Map<String, double[]> spread = new LinkedHashMap<>();
        Map<String, float[]> shown = new LinkedHashMap<>();
        Table table = new Table();
        for (String arm : ARMS) {
            double[] c = new double[depths.length];
            double[] sd = new double[depths.length];
            for (int d = 0; d < depths.length; d++) {
                double[] perSeed = new double[seeds];
                for (int s = 0; s < seeds; s++) {
                    float[] g = gradients(arm.equals("residual"), depths[d], xs,
                            ctx.rng().split(arm + "-depth" + depths[d] + "-seed" + s));
                    perSeed[s] = lagOneCorrelation(g);
                    if (s == 0 && (d == depths.length - 1 || d == 0 && arm.equals("plain"))) {
                        shown.put(arm + " net of depth " + depths[d], g);
                    }
                }
                c[d] = mean(perSeed);
                sd[d] = std(perSeed);
                table.add(arm, Map.of("depth", depths[d], "lag1_correlation", c[d], "std_over_seeds", sd[d]));
            }
            corr.put(arm, c);
            spread.put(arm, sd);
            ctx.log("%s: lag-1 correlation of dy/dx by depth %s: %s", arm, java.util.Arrays.toString(depths),
                    java.util.Arrays.toString(java.util.Arrays.stream(c).map(v -> Math.round(v * 1000) / 1000.0).toArray()));
        }
        table.write(ctx.file(RunFolder.METRICS));
        double[] dx = java.util.Arrays.stream(depths).asDoubleStream().toArray();
        Chart byDepth = Chart.of("gradient correlation at neighbouring inputs", "depth", "lag-1 correlation of dy/dx")
                .logX().yRange(-0.2, 1);
        corr.forEach((arm, c) -> byDepth.line(arm, dx, c));
        double[] xd = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            xd[i] = xs[i];
        }
        List<Chart> panels = new ArrayList<>(List.of(byDepth));
        shown.forEach((net, g) -> panels.add(Chart.of("dy/dx of a " + net, "x", "dy/dx (scaled to unit variance)")
                .line(net.substring(0, net.indexOf(' ')), xd, standardized(g))));
        Chart.save(ctx.file("shattered-gradients.png"), 2, panels);
        ObjectNode s = ctx.summary();
        corr.forEach((arm, c) -> {
            ObjectNode o = s.putObject(arm);
            for (int d = 0; d < depths.length; d++) {
                LabContext.number(o, "depth" + depths[d], c[d]);
            }
        });
        s.put("seeds", seeds).put("width", WIDTH).put("chart", "shattered-gradients.png");
        return ctx.verdict(judge(depths, corr, spread, seeds));
    }

    /** dy/dx at each input of a freshly initialized plain or residual network of {@code depth} hidden layers. */
    static float[] gradients(boolean residual, int depth, float[] xs, Rng rng) {
        Tensor x = Tensor.of(xs.clone(), xs.length, 1).requiresGrad(true);
        Tensor h = he(1, WIDTH, rng.split("in")).forward(x);
        for (int l = 1; l < depth; l++) {
            Tensor branch = he(WIDTH, WIDTH, rng.split("layer" + l)).forward(activation(h, l));
            h = residual ? h.add(branch) : branch;
        }
        Tensor y = he(WIDTH, 1, rng.split("out")).forward(activation(h, depth));
        y.sum().backward();
        return x.grad().toArray();
    }

    /**
     * &sigma;(h_l), and &sigma;(BN(h_l)) from the second layer on: over a 1-D input every first-layer
     * unit is &plusmn;(x &minus; mean)/std after BN, which would put all their kinks at one x.
     */
    private static Tensor activation(Tensor h, int layer) {
        return (layer == 1 ? h : normalized(h)).relu();
    }

    /**
     * Batch normalization of h [N, W] over the N inputs, with the statistics held as constants
     * (as in eval mode, with running statistics equal to this batch's), so that dy/dx at one
     * input does not pick up the other inputs through the batch mean and variance.
     */
    private static Tensor normalized(Tensor h) {
        float[] v = h.detach().toArray();
        int n = h.size(0);
        int w = h.size(1);
        float[] mean = new float[w];
        float[] inv = new float[w];
        for (int j = 0; j < w; j++) {
            double m = 0;
            for (int i = 0; i < n; i++) {
                m += v[i * w + j];
            }
            m /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += (v[i * w + j] - m) * (v[i * w + j] - m);
            }
            mean[j] = (float) m;
            inv[j] = (float) (1 / Math.sqrt(var / n + 1e-5));
        }
        return h.sub(Tensor.of(mean, 1, w)).mul(Tensor.of(inv, 1, w));
    }

    /**
     * A Linear with He (Kaiming normal, fan-in) weights N(0, 2/in) and PyTorch's default bias
     * U(&minus;1/&radic;in, 1/&radic;in): the first layer's biases spread the units' kinks over the inputs.
     */
    private static Linear he(int in, int out, Rng rng) {
        float[] w = new float[in * out];
        double std = Math.sqrt(2.0 / in);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (std * rng.nextGaussian());
        }
        float[] b = new float[out];
        double bound = 1 / Math.sqrt(in);
        for (int i = 0; i < out; i++) {
            b[i] = (float) (bound * (2 * rng.nextDouble() - 1));
        }
        return new Linear(Tensor.of(w, out, in), Tensor.of(b, out));
    }

    /** The correlation of g[i] with g[i + 1] over i (about 1 for brown noise, 0 for white noise). */
    static double lagOneCorrelation(float[] g) {
        double m = 0;
        for (float v : g) {
            m += v;
        }
        m /= g.length;
        double num = 0;
        double den = 0;
        for (int i = 0; i < g.length; i++) {
            den += (g[i] - m) * (g[i] - m);
            if (i + 1 < g.length) {
                num += (g[i] - m) * (g[i + 1] - m);
            }
        }
        return den == 0 ? Double.NaN : num / den;
    }

    /**
     * The verdict: plain nets shatter when their correlation at the deepest depth has fallen
     * below half its depth-1 value; residual nets mitigate it when theirs stays above the plain
     * net's by more than three standard errors of the difference (over {@code seeds} initializations).
     */
    static String judge(int[] depths, Map<String, double[]> corr, Map<String, double[]> spread, int seeds) {
        StringBuilder b = new StringBuilder("lag-1 correlation of dy/dx by depth (" + joinInts(depths) + "):");
        corr.forEach((arm, c) -> {
            b.append(' ').append(arm);
            for (double v : c) {
                b.append(String.format(Locale.ROOT, " %.3f", v));
            }
            b.append(';');
        });
        b.setLength(b.length() - 1);
        int last = depths.length - 1;
        double[] plain = corr.get("plain");
        double[] res = corr.get("residual");
        double se = Math.sqrt((Math.pow(spread.get("plain")[last], 2) + Math.pow(spread.get("residual")[last], 2)) / seeds);
        boolean shatters = plain[last] < plain[0] / 2;
        boolean mitigates = res[last] - plain[last] > 3 * se;
        b.append(String.format(Locale.ROOT, "%nAt depth %d the plain net's gradients correlate %.3f (%.3f at depth %d),"
                + " the residual net's %.3f (standard error of the difference %.3f). ", depths[last], plain[last], plain[0],
                depths[0], res[last], se));
        b.append(shatters && mitigates
                ? "Consistent with the lecture (Balduzzi et al. 2017): depth shatters the gradient of a plain net toward"
                + " white noise, and the residual net keeps it correlated."
                : !shatters ? "The effect does not show in this run: the plain net's gradients did not decorrelate with"
                + " depth."
                : "The plain net's gradients decorrelate with depth, but the residual net's did not stay clearly more"
                + " correlated: the mitigation does not show in this run.");
        return b.toString();
    }

    private static String joinInts(int[] v) {
        return String.join(", ", java.util.Arrays.stream(v).mapToObj(Integer::toString).toList());
    }

    private static double[] standardized(float[] g) {
        double m = 0;
        for (float v : g) {
            m += v;
        }
        m /= g.length;
        double s = 0;
        for (float v : g) {
            s += (v - m) * (v - m);
        }
        double sd = Math.sqrt(s / g.length);
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = sd == 0 ? 0 : (g[i] - m) / sd;
        }
        return out;
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double std(double[] v) {
        double m = mean(v);
        return Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / Math.max(1, v.length - 1));
    }
}
