package dev.myelin.train;

import dev.myelin.nn.Module;
import dev.myelin.nn.Stochastic;
import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Monte Carlo dropout (Gal &amp; Ghahramani 2016, "Dropout as a Bayesian approximation";
 * Huang, "Training Deep Neural Networks": "uses the dropout model on the test data multiple times while
 * keeping dropout turned on, outputs the average"): T forward passes with the dropout layers
 * (every {@link Stochastic} module) in training mode and everything else — batch norm above all —
 * in evaluation mode, so only the dropout masks vary between passes:
 * <pre>
 * p_t = softmax(f(x; W ⊙ m_t)),  m_t ~ dropout masks,  t = 1..T
 * mean = (1/T) Σ_t p_t          std = sqrt((1/T) Σ_t p_t² − mean²)
 * </pre>
 * The passes are seeded: the dropout layers draw from streams split off the given {@code rng}
 * (one per layer, by its state-dict path) and get their own streams back afterwards, so a
 * prediction neither depends on nor shifts the training stream. The model's modes are restored.
 * Shape: x [N, ...] → mean, std [N, C].
 */
public final class McDropout {
    private McDropout() {
    }

    /** Class probabilities: softmax over the last dimension, or [1 − σ(z), σ(z)] for a single logit. */
    public static Tensor probabilities(Tensor out) {
        if (out.dim() == 1 || out.size(out.dim() - 1) == 1) {
            Tensor p = out.reshape(out.size(0), 1).sigmoid();
            return Tensor.concat(List.of(p.neg().add(1f), p), 1);
        }
        return out.softmax(out.dim() - 1);
    }

    /** T passes, with the outputs turned into class probabilities ({@link #probabilities}). */
    public static McPrediction predict(Module model, Tensor x, int samples, Rng rng) {
        return predict(model, x, samples, rng, McDropout::probabilities);
    }

    /**
     * T passes; {@code transform} maps the model's outputs to what is averaged (probabilities,
     * or {@code UnaryOperator.identity()} for regression outputs).
     *
     * @throws IllegalArgumentException when the model has no dropout layer or samples &lt; 1
     */
    public static McPrediction predict(Module model, Tensor x, int samples, Rng rng, UnaryOperator<Tensor> transform) {
        if (samples < 1) {
            throw new IllegalArgumentException("Monte Carlo dropout: expected at least 1 forward pass, got " + samples);
        }
        List<Module> all = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        walk(model, "", all, paths);
        List<Integer> stochastic = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i) instanceof Stochastic) {
                stochastic.add(i);
            }
        }
        if (stochastic.isEmpty()) {
            throw new IllegalArgumentException("Monte Carlo dropout needs a dropout layer in the model: without one"
                    + " every pass gives the same output and the spread is 0. Add e.g. a dropout layer after a hidden"
                    + " activation and train again");
        }
        boolean[] modes = new boolean[all.size()];
        Rng[] own = new Rng[all.size()];
        for (int i = 0; i < all.size(); i++) {
            modes[i] = all.get(i).isTraining();
        }
        try (GradMode.Scope s = GradMode.noGrad()) {
            model.eval();
            for (int i : stochastic) {
                Stochastic d = (Stochastic) all.get(i);
                own[i] = d.rng();
                d.setRng(rng.split("mc-dropout:" + paths.get(i)));
                all.get(i).train(true);
            }
            return passes(model, x, samples, transform);
        } finally {
            for (int i : stochastic) {
                ((Stochastic) all.get(i)).setRng(own[i]);
            }
            // Pre-order: a parent's train(b) recurses, so each child is set after its parent.
            for (int i = 0; i < all.size(); i++) {
                all.get(i).train(modes[i]);
            }
        }
    }

    /** Welford's running mean and sum of squared deviations: exact 0 spread when every pass agrees. */
    private static McPrediction passes(Module model, Tensor x, int samples, UnaryOperator<Tensor> transform) {
        double[] mean = null;
        double[] m2 = null;
        int[] shape = null;
        for (int t = 1; t <= samples; t++) {
            Tensor p = transform.apply(model.forward(x));
            float[] d = p.data();
            if (mean == null) {
                mean = new double[d.length];
                m2 = new double[d.length];
                shape = p.shape();
            }
            for (int i = 0; i < d.length; i++) {
                double delta = d[i] - mean[i];
                mean[i] += delta / t;
                m2[i] += delta * (d[i] - mean[i]);
            }
        }
        float[] mu = new float[mean.length];
        float[] sd = new float[mean.length];
        for (int i = 0; i < mean.length; i++) {
            mu[i] = (float) mean[i];
            sd[i] = (float) Math.sqrt(Math.max(0, m2[i] / samples));
        }
        return new McPrediction(Tensor.of(mu, shape), Tensor.of(sd, shape), samples);
    }

    /** Every module under {@code m} (itself first) in pre-order, with its state-dict path. */
    private static void walk(Module m, String path, List<Module> out, List<String> paths) {
        out.add(m);
        paths.add(path.isEmpty() ? "." : path);
        m.children().forEach((name, c) -> walk(c, path.isEmpty() ? name : path + "." + name, out, paths));
    }
}
