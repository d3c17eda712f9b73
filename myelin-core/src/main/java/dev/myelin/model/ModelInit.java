package dev.myelin.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.model.bind.Bindings;
import dev.myelin.model.bind.Inits;
import dev.myelin.model.bind.Source;
import dev.myelin.nn.Linear;
import dev.myelin.nn.init.Initializer;
import dev.myelin.train.Lsuv;
import java.util.ArrayList;
import java.util.List;

/**
 * The config's top-level {@code init:}: the initialization of every weighted layer that names
 * none itself (one of {@link dev.myelin.model.bind.Inits}), or {@code lsuv} (Mishkin &amp;
 * Matas 2016), which needs data and so is a model-level choice: orthonormal weights, then each
 * layer rescaled in forward order until its output variance on {@code samples} training samples
 * is 1 within {@code tol}, at most {@code max_iter} times ({@link Lsuv.Options}, which holds
 * the defaults).
 *
 * @param layers the default for the layers ({@link Initializer#DEFAULT} under lsuv, which sets them itself)
 * @param lsuv   the LSUV options, or null for none
 */
public record ModelInit(Initializer layers, Lsuv.Options lsuv) {
    /** No top-level init: every layer keeps PyTorch's. */
    public static final ModelInit DEFAULT = new ModelInit(Initializer.DEFAULT, null);

    /** Reads the top-level {@code init} ({@code node} null: the default). */
    public static ModelInit parse(Source src, JsonNode node) {
        if (node == null) {
            return DEFAULT;
        }
        String name = node.isTextual() ? node.asText() : node.path("name").asText(null);
        List<String> names = new ArrayList<>(Inits.ALL.names());
        names.add("lsuv");
        if (name != null && !names.contains(name)) {
            String guess = Source.didYouMean(name, names);
            throw src.error(node.isTextual() ? "init" : "init.name", "an initialization, one of "
                    + String.join(", ", names), "'" + name + "'", guess != null ? "Did you mean '" + guess + "'?"
                    : "Use one of the names listed");
        }
        if (!"lsuv".equals(name)) {
            return new ModelInit((Initializer) Bindings.BINDER.value(Initializer.class, src, "init", node), null);
        }
        JsonNode options = node.isObject() ? node : null;
        return new ModelInit(Initializer.DEFAULT, Bindings.BINDER.readOver(Lsuv.Options.defaults(), src, "init",
                options, List.of("name")));
    }

    /** Refuses LSUV with weight-normalized layers: LSUV rescales weights, weight norm trains g and v instead. */
    public void check(List<LayerSpec> model, Source src) {
        for (int i = 0; lsuv != null && i < model.size(); i++) {
            if (model.get(i).record() instanceof Linear.Options l && l.weightNorm()) {
                throw src.error("init", "an init other than lsuv for a model with weight_norm layers (LSUV"
                        + " rescales weights, weight norm trains g and v instead)", "lsuv with model[" + i
                        + "].linear.weight_norm: true", "Remove weight_norm or choose another init");
            }
        }
    }

    /** The resolved form. */
    public JsonNode toTree() {
        if (lsuv == null) {
            return Bindings.BINDER.writeValue(layers);
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("name", "lsuv");
        return n.setAll(Bindings.BINDER.write(lsuv));
    }
}
