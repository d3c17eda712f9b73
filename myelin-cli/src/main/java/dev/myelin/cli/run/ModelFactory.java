package dev.myelin.cli.run;

import dev.myelin.model.LossSpec;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.model.LayerContext;
import dev.myelin.model.LayerSpec;
import dev.myelin.model.ModelInit;
import dev.myelin.model.bind.Source;
import dev.myelin.nn.Ensemble;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Module;
import dev.myelin.data.Dataset;
import dev.myelin.nn.Sequential;
import dev.myelin.train.Lsuv;
import dev.myelin.tensor.Tensor;
import dev.myelin.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the config's {@code model} list into a {@link Sequential}, following the shape of one
 * sample through the layers so that input sizes need not be written and a mismatch is reported
 * at the layer that causes it. Layer {@code i} is state-dict prefix {@code i.}, as in PyTorch's
 * {@code nn.Sequential}. Each layer draws from its own stream, named by kind and ordinal
 * ({@link #stream}).
 */
public final class ModelFactory {
    private ModelFactory() {
    }

    /** The model for samples of {@code featureShape}; its parameters are drawn from {@code rng}. */
    public static Sequential build(RunConfig c, int[] featureShape, int numClasses, Rng rng) {
        int[] shape = featureShape.clone();
        List<Module> layers = new ArrayList<>();
        int lastLinear = -1;
        Map<String, Integer> ordinals = new HashMap<>();
        for (int i = 0; i < c.model().size(); i++) {
            LayerSpec spec = c.model().get(i);
            LayerContext ctx = new LayerContext(c.source(), i, spec.name(), shape, rng.split(stream(spec.name(), ordinals)),
                    c.init().layers(), i == 0 ? null : c.model().get(i - 1).name());
            layers.add(spec.build(ctx));
            shape = ctx.shape();
            if (spec.name().equals("linear")) {
                lastLinear = i;
            }
        }
        checkOutput(c, shape, numClasses, lastLinear);
        return new Sequential(layers);
    }

    /**
     * The name of a layer's random stream: its kind and how many of that kind came before it
     * ({@code linear0}, {@code linear1}, {@code batchnorm0}, ...), not its position. Inserting a
     * layer of another kind (a BatchNorm, a Dropout) therefore leaves every other layer's initial
     * weights and masks as they were, so variants of a model that differ by such a layer start from
     * the same weights. A {@code dropconnect} layer is a linear layer whose weights are dropped, and
     * counts as one: swapping {@code linear} for {@code dropconnect} changes only the dropping.
     */
    static String stream(String kind, Map<String, Integer> ordinals) {
        String k = kind.equals("dropconnect") ? "linear" : kind;
        int n = ordinals.merge(k, 1, Integer::sum) - 1;
        return k + n;
    }

    /**
     * Runs LSUV (config {@code init: lsuv}) on {@code samples} training samples drawn with
     * {@code rng}; returns a one-line report, or null when the config asks for no LSUV.
     */
    public static String lsuv(RunConfig c, Sequential model, Dataset train, Rng rng) {
        ModelInit init = c.init();
        if (init.lsuv() == null) {
            return null;
        }
        int n = Math.min(init.samples(), train.size());
        int[] idx = Arrays.copyOf(rng.permutation(train.size()), n);
        int f = train.featureSize();
        float[] x = new float[n * f];
        for (int i = 0; i < n; i++) {
            train.features(idx[i], x, i * f);
        }
        int[] shape = new int[train.featureShape().length + 1];
        shape[0] = n;
        System.arraycopy(train.featureShape(), 0, shape, 1, shape.length - 1);
        List<Lsuv.LayerReport> r;
        try {
            r = Lsuv.apply(model, Tensor.of(x, shape), init.lsuv(), rng.split("orthogonal"));
        } catch (IllegalStateException e) {
            throw new UserException(c.source().label() + ": init: " + e.getMessage());
        }
        double worst = r.stream().mapToDouble(l -> Math.abs(l.variance() - 1)).max().orElse(0);
        int steps = r.stream().mapToInt(Lsuv.LayerReport::rescalings).sum();
        return String.format(java.util.Locale.ROOT, "LSUV on %d samples: %d layers, %d rescalings, max |variance - 1| %.3g",
                n, r.size(), steps, worst);
    }

    /** Checks the model's output against the loss and the data: one output per class, or one value. */
    private static void checkOutput(RunConfig c, int[] out, int numClasses, int lastLinear) {
        int outputs = Arrays.stream(out).reduce(1, (a, b) -> a * b);
        String fix = lastLinear >= 0 ? "Set model[" + lastLinear + "].linear.out: " : "End the model with `- linear: {out: N}`, N = ";
        // Blame the field that sets the output size, so an error caused by --set names that assignment.
        String field = lastLinear >= 0 ? "model[" + lastLinear + "].linear.out" : "model";
        Source src = c.source();
        switch (c.loss().name()) {
            case "cross_entropy" -> {
                if (numClasses == 0) {
                    throw src.error("loss", "a regression loss (mse or l1) for the regression data of data.task",
                            "cross_entropy", "Set loss: mse, or data.task: classification");
                }
                if (out.length != 1 || outputs != numClasses) {
                    throw src.error(field, "a last layer with " + numClasses + " outputs (one per class of the data,"
                            + " for cross_entropy)", "outputs of shape " + Arrays.toString(out), fix + numClasses);
                }
            }
            case "bce_with_logits" -> {
                if (outputs != 1 || (numClasses != 2 && numClasses != 0)) {
                    throw src.error(field, "one output and two classes (labels 0/1) for bce_with_logits",
                            "outputs of shape " + Arrays.toString(out) + " and " + numClasses + " classes",
                            numClasses > 2 ? "Use loss: cross_entropy for more than two classes" : fix + 1);
                }
            }
            default -> {
                if (outputs != 1) {
                    throw src.error(field, "one output per sample for " + c.loss().name(), "outputs of shape "
                            + Arrays.toString(out), fix + 1);
                }
            }
        }
    }

    /** How an ensemble of models trained with {@code loss} averages them: probabilities, or values for regression. */
    public static Ensemble.Output ensembleOutput(LossSpec loss) {
        return switch (loss.name()) {
            case "cross_entropy" -> Ensemble.Output.CLASSES;
            case "bce_with_logits" -> Ensemble.Output.BINARY;
            default -> Ensemble.Output.VALUES;
        };
    }

    /** The config's loss function (label smoothing included). */
    public static Loss loss(LossSpec loss) {
        return loss.create();
    }
}
