package dev.myelin.train;

import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.init.Init;
import dev.myelin.options.Check;
import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Layer-sequential unit-variance initialization (Mishkin &amp; Matas 2016, "All you need is a
 * good init", Algorithm 1; Fleuret, "EE-559 Deep Learning, 6. Going deeper" "Smart initialization"):
 * <pre>
 * 1. initialize every weight orthonormally (Saxe et al. 2014);
 * 2. for each layer L in forward order:
 *      while |Var(B_L) − 1| ≥ tol and fewer than max_iter rescalings:
 *          forward a batch of data; W_L ← W_L / √Var(B_L)
 * </pre>
 * B_L is the output of layer L, the weighted layer itself (before its activation), and Var
 * is over all its elements, as in the paper. The paper's defaults are tol = 0.1 and at most 10
 * iterations. Biases are left as they are; with them the variance is not exactly
 * proportional to the weight's scale, which is why the rule iterates.
 *
 * <p>The layers are those of a {@link Sequential} (nested ones included) that own a parameter
 * named {@code weight} with two or more dimensions (Linear, Maxout, later convolutions). The
 * input to layer L is computed once and reused while L is rescaled. The model runs in
 * evaluation mode under no-grad (dropout off) and is put back in its mode afterwards.
 */
public final class Lsuv {
    private Lsuv() {
    }

    /**
     * LSUV's options, the paper's defaults: {@code tol} 0.1 (how close to 1 each layer's output
     * variance must come), {@code max_iter} 10 (rescalings per layer at most), {@code samples} 512
     * (training samples the variances are measured on; at least 2).
     */
    public record Options(double tol, int maxIter, int samples) {
        public Options {
            Check.positive("tol", tol);
            Check.atLeast("max_iter", maxIter, 1);
            Check.atLeast("samples", samples, 2);
        }

        /** The paper's: tol 0.1, 10 iterations, measured on 512 samples. */
        public static Options defaults() {
            return new Options(0.1, 10, 512);
        }
    }

    /** What LSUV did to one layer: its path in the model, rescalings, and its output variance after. */
    public record LayerReport(String layer, int rescalings, double variance) {
    }

    /**
     * Orthonormal init of every weighted layer, then the layer-by-layer rescaling on
     * {@code batch}; returns one report per weighted layer, in order.
     */
    public static List<LayerReport> apply(Sequential model, Tensor batch, Options options, Rng rng) {
        List<String> names = new ArrayList<>();
        List<Module> layers = new ArrayList<>();
        flatten(model, "", names, layers);
        boolean wasTraining = model.isTraining();
        model.eval();
        List<LayerReport> reports = new ArrayList<>();
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor h = batch;
            for (int i = 0; i < layers.size(); i++) {
                Module layer = layers.get(i);
                Tensor w = weightOf(layer);
                if (w == null) {
                    h = layer.forward(h);
                    continue;
                }
                Init.orthogonal(w, 1.0, rng.split(names.get(i)));
                LayerReport r = rescale(names.get(i), layer, w, h, options);
                reports.add(r);
                h = layer.forward(h);
            }
        } finally {
            model.train(wasTraining);
        }
        return reports;
    }

    private static LayerReport rescale(String name, Module layer, Tensor w, Tensor input, Options o) {
        int rescalings = 0;
        while (true) {
            double var = variance(layer.forward(input));
            if (!(var > 0) || Double.isInfinite(var)) {
                throw new IllegalStateException("LSUV: the output of layer " + name + " (" + layer + ") has variance "
                        + var + " on the batch; LSUV cannot rescale a layer whose output is constant or not finite"
                        + " (check the data and the layers before it)");
            }
            if (Math.abs(var - 1) < o.tol() || rescalings == o.maxIter()) {
                return new LayerReport(name, rescalings, var);
            }
            w.mulInPlace((float) (1 / Math.sqrt(var)));
            rescalings++;
        }
    }

    /** The biased variance of all elements, accumulated in double. */
    static double variance(Tensor t) {
        float[] d = t.data();
        double mean = 0;
        for (float v : d) {
            mean += v;
        }
        mean /= d.length;
        double ss = 0;
        for (float v : d) {
            ss += (v - mean) * (v - mean);
        }
        return ss / d.length;
    }

    private static Tensor weightOf(Module m) {
        if (!m.children().isEmpty()) {
            return null;
        }
        Tensor w = m.namedParameters().get("weight");
        return w != null && w.dim() >= 2 ? w : null;
    }

    private static void flatten(Module m, String prefix, List<String> names, List<Module> out) {
        if (m instanceof Sequential s) {
            for (int i = 0; i < s.layers().size(); i++) {
                flatten(s.layers().get(i), prefix.isEmpty() ? Integer.toString(i) : prefix + "." + i, names, out);
            }
            return;
        }
        if (!m.children().isEmpty()) {
            throw new IllegalArgumentException("LSUV: expected a Sequential of layers, found the composite module "
                    + m.getClass().getSimpleName() + " at '" + prefix + "'; LSUV walks layers in forward order and "
                    + "cannot see inside it");
        }
        names.add(prefix);
        out.add(m);
    }
}
