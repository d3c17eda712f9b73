package dev.myelin.model.bind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.model.bind.Binder;
import dev.myelin.model.bind.Source;
import java.util.Iterator;

/**
 * One name chosen from a {@link Registry} with its options bound: a layer of the model, the
 * optimizer, a schedule. Two ways to write one, as today's configs do:
 * <ul>
 *   <li>{@link Style#KEYED}: the name alone ({@code - relu}) or a mapping from the name to its
 *       options ({@code - linear: {out: 10}}): the model's layers, preprocessing steps;</li>
 *   <li>{@link Style#NAMED}: the name alone ({@code init: orthogonal}) or a mapping with a
 *       {@code name} key beside the options ({@code optimizer: {name: adam, lr: 0.001}}).</li>
 * </ul>
 *
 * @param options the bound options (defaults filled in), null for an entry without options
 */
public record Choice<C, T>(Registry.Entry<C, T> entry, Record options, Style style) {
    /** How a choice is written. */
    public enum Style { KEYED, NAMED }

    public String name() {
        return entry.name();
    }

    /** Builds the thing with its options. */
    public T build(C context) {
        return entry.build().apply(options, context);
    }

    /** Reads {@code node} at {@code path}. */
    public static <C, T> Choice<C, T> read(Registry<C, T> registry, Binder binder, Source src, String path,
                                           JsonNode node, Style style) {
        String example = style == Style.KEYED ? "`- relu` or `- linear: {out: 10}`" : "`NAME` or `{name: NAME, ...}`";
        if (node != null && node.isTextual()) {
            Registry.Entry<C, T> e = registry.require(src, path, node.asText(), null);
            return new Choice<>(e, bind(e, binder, src, path + (style == Style.KEYED ? "." + e.name() : ""), null), style);
        }
        if (style == Style.KEYED && node != null && node.isObject() && node.size() == 1) {
            String name = node.fieldNames().next();
            Registry.Entry<C, T> e = registry.require(src, path, name, null);
            return new Choice<>(e, bind(e, binder, src, path + "." + name, node.get(name)), style);
        }
        if (style == Style.NAMED && node != null && node.isObject()) {
            JsonNode name = node.get("name");
            if (name == null || !name.isTextual()) {
                throw src.error(Binder.sub(path, "name"), registry.what() + ", one of "
                        + String.join(", ", registry.names()), Source.describe(name), "Write e.g. " + example);
            }
            Registry.Entry<C, T> e = registry.require(src, Binder.sub(path, "name"), name.asText(), null);
            ObjectNode rest = ((ObjectNode) node).deepCopy();
            rest.remove("name");
            return new Choice<>(e, bind(e, binder, src, path, rest), style);
        }
        throw src.error(path, registry.what() + " (one of " + String.join(", ", registry.names()) + ")",
                Source.describe(node), "Write e.g. " + example);
    }

    private static Record bind(Registry.Entry<?, ?> e, Binder binder, Source src, String path, JsonNode options) {
        if (e.options() == null) {
            if (options != null && !options.isNull() && !(options.isObject() && options.isEmpty())) {
                Iterator<String> keys = options.fieldNames();
                String key = keys.hasNext() ? keys.next() : null;
                throw src.error(key != null ? Binder.sub(path, key) : path, "no options for " + e.name(),
                        key != null ? "unknown key '" + key + "'" : Source.describe(options), "Write just `" + e.name() + "`");
            }
            return null;
        }
        if (e.defaults() != null) {
            return binder.readOver(e.defaults().get(), src, path, options, java.util.List.of());
        }
        return binder.read(e.options(), src, path, options, "`" + e.name() + ": {...}`");
    }

    /** The resolved form: the bare name without options, else the name with every option. */
    public JsonNode write(Binder binder) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = options == null ? f.objectNode() : binder.write(options);
        if (o.isEmpty()) {
            return f.textNode(name());
        }
        if (style == Style.KEYED) {
            ObjectNode n = f.objectNode();
            n.set(name(), o);
            return n;
        }
        ObjectNode n = f.objectNode().put("name", name());
        n.setAll(o);
        return n;
    }
}
