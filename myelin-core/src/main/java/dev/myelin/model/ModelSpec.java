package dev.myelin.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.data.ArrayDataset;
import dev.myelin.data.Dataset;
import dev.myelin.model.bind.ConfigException;
import dev.myelin.model.bind.Source;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.Lsuv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's description: the {@code model} list of layers, the top-level {@code init} and the
 * {@code loss} it is trained with, as a config writes them:
 * <pre>
 * model:
 *   - flatten
 *   - linear: {out: 256}
 *   - relu
 *   - linear: {out: 10}
 * init: kaiming_normal        # optional
 * loss: cross_entropy         # optional; decides the output checks and how predictions read
 * </pre>
 * It is what a saved model keeps besides its weights ({@link SavedModel}), so that the model can
 * be rebuilt without the program that trained it, as {@code keras.saving.load_model} rebuilds a
 * model from its config. {@link #build} follows the shape of one sample through the layers, so
 * input sizes need not be written and a mismatch is reported at the layer that causes it. Layer
 * {@code i} is state-dict prefix {@code i.}, as in PyTorch's {@code nn.Sequential}.
 *
 * @param source where the description was read from, for errors found while building
 * @param layers the layers, in order (not empty)
 * @param init   the weighted layers' default initialization, or LSUV
 * @param loss   the loss the model is trained with
 */
public record ModelSpec(Source source, List<LayerSpec> layers, ModelInit init, LossSpec loss) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelSpec {
        layers = List.copyOf(layers);
    }

    /**
     * Reads the {@code model}, {@code init} and {@code loss} keys of a config tree; other keys
     * (data, optimizer, ...) are not the model's and are left to the caller.
     */
    public static ModelSpec read(Source src, JsonNode config) {
        List<LayerSpec> layers = layers(src, config.get("model"));
        ModelInit init = ModelInit.parse(src, present(config.get("init")));
        init.check(layers, src);
        return new ModelSpec(src, layers, init, LossSpec.parse(src, present(config.get("loss"))));
    }

    /**
     * Reads a description written as JSON (or the JSON config of a run), e.g.
     * {@code {"model": ["flatten", {"linear": {"out": 10}}]}}; {@code label} names it in errors.
     */
    public static ModelSpec fromJson(String json, String label) {
        try {
            return read(new Source(label), JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new ConfigException(label + ": expected a model description in JSON, found text that is not JSON: "
                    + e.getOriginalMessage());
        }
    }

    /** Writes the {@code model}, {@code init} and {@code loss} keys into {@code config}. */
    public ObjectNode writeTo(ObjectNode config) {
        ArrayNode list = config.putArray("model");
        layers.forEach(l -> list.add(l.toTree()));
        config.set("init", init.toTree());
        config.set("loss", loss.toTree());
        return config;
    }

    /** The description as JSON text, readable by {@link #fromJson}. */
    public String toJson() {
        return writeTo(JSON.createObjectNode()).toString();
    }

    /**
     * The model for samples of {@code featureShape} (after preprocessing), whose output must fit
     * {@code numClasses} classes (0: regression) under the loss; its parameters are drawn from
     * {@code rng}. Each layer draws from its own stream, named by kind and ordinal ({@link #stream}).
     */
    public Sequential build(int[] featureShape, int numClasses, Rng rng) {
        int[] shape = featureShape.clone();
        List<Module> built = new ArrayList<>();
        int lastLinear = -1;
        Map<String, Integer> ordinals = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec spec = layers.get(i);
            LayerContext ctx = new LayerContext(source, i, spec.name(), shape, rng.split(stream(spec.name(), ordinals)),
                    init.layers(), i == 0 ? null : layers.get(i - 1).name());
            built.add(buildLayer(spec, ctx, shape));
            shape = ctx.shape();
            if (spec.name().equals("linear")) {
                lastLinear = i;
            }
        }
        checkOutput(shape, numClasses, lastLinear);
        return new Sequential(built);
    }

    /**
     * One layer, with sizes too large for a Java array (a tensor holds at most 2^31 - 1 values) or for
     * the heap reported as the layer's config error rather than an overflow or out-of-memory error.
     */
    private Module buildLayer(LayerSpec spec, LayerContext ctx, int[] in) {
        try {
            return spec.build(ctx);
        } catch (ArithmeticException e) {
            throw source.error(ctx.at(), "sizes whose tensors fit in a Java array (at most 2147483647 values each)",
                    tooLarge(in) + ": one of its tensors has more values", "Lower the layer's size");
        } catch (OutOfMemoryError e) {
            throw source.error(ctx.at(), "parameters that fit in the Java heap ("
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB)", tooLarge(in),
                    "Lower the layer's size, or give Java more heap with -Xmx (bin/myelin reads MYELIN_JAVA_OPTS, "
                    + "e.g. MYELIN_JAVA_OPTS=-Xmx8g)");
        }
    }

    private static String tooLarge(int[] in) {
        return "a layer too large at input shape " + Arrays.toString(in);
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
     * Runs LSUV ({@code init: lsuv}; Mishkin &amp; Matas 2016, "All you need is a good init") on
     * samples of {@code train} drawn with {@code rng}; returns a one-line report, or null when the
     * description asks for no LSUV.
     */
    public String lsuv(Sequential model, Dataset train, Rng rng) {
        if (init.lsuv() == null) {
            return null;
        }
        int n = Math.min(init.lsuv().samples(), train.size());
        Tensor x = train.features(Arrays.copyOf(rng.permutation(train.size()), n));
        List<Lsuv.LayerReport> r;
        try {
            r = Lsuv.apply(model, x, init.lsuv(), rng.split("orthogonal"));
        } catch (IllegalStateException e) {
            throw new ConfigException(source.label() + ": init: " + e.getMessage());
        }
        double worst = r.stream().mapToDouble(l -> Math.abs(l.variance() - 1)).max().orElse(0);
        int steps = r.stream().mapToInt(Lsuv.LayerReport::rescalings).sum();
        return String.format(Locale.ROOT, "LSUV on %d samples: %d layers, %d rescalings, max |variance - 1| %.3g",
                n, r.size(), steps, worst);
    }

    /** Checks the model's output against the loss and the data: one output per class, or one value. */
    private void checkOutput(int[] out, int numClasses, int lastLinear) {
        int outputs = ArrayDataset.product(out);
        String fix = lastLinear >= 0 ? "Set model[" + lastLinear + "].linear.out: " : "End the model with `- linear: {out: N}`, N = ";
        // Blame the field that sets the output size, so an error caused by --set names that assignment.
        String field = lastLinear >= 0 ? "model[" + lastLinear + "].linear.out" : "model";
        switch (loss.name()) {
            case "cross_entropy" -> {
                if (numClasses == 0) {
                    throw source.error("loss", "a regression loss (mse or l1) for the regression data of data.task",
                            "cross_entropy", "Set loss: mse, or data.task: classification");
                }
                if (out.length != 1 || outputs != numClasses) {
                    throw source.error(field, "a last layer with " + numClasses + " outputs (one per class of the data,"
                            + " for cross_entropy)", "outputs of shape " + Arrays.toString(out), fix + numClasses);
                }
            }
            case "bce_with_logits" -> {
                if (outputs != 1 || (numClasses != 2 && numClasses != 0)) {
                    throw source.error(field, "one output and two classes (labels 0/1) for bce_with_logits",
                            "outputs of shape " + Arrays.toString(out) + " and " + numClasses + " classes",
                            numClasses > 2 ? "Use loss: cross_entropy for more than two classes" : fix + 1);
                }
            }
            default -> {
                if (outputs != 1) {
                    throw source.error(field, "one output per sample for " + loss.name(), "outputs of shape "
                            + Arrays.toString(out), fix + 1);
                }
            }
        }
    }

    private static List<LayerSpec> layers(Source src, JsonNode n) {
        String example = "Add a list of layers, e.g.\nmodel:\n  - flatten\n  - linear: {out: 10}";
        if (n == null || n.isNull()) {
            throw src.error("model", "a list of layers", Source.describe(null), example);
        }
        if (!n.isArray() || n.isEmpty()) {
            throw src.error("model", "a non-empty list of layers", Source.describe(n), example);
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            layers.add(Layers.parse(src, "model[" + i + "]", n.get(i)));
        }
        return layers;
    }

    private static JsonNode present(JsonNode n) {
        return n == null || n.isNull() ? null : n;
    }
}
