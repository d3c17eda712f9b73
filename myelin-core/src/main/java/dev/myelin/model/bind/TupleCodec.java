package dev.myelin.model.bind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.options.OptionException;
import java.lang.reflect.RecordComponent;

/**
 * Reads and writes a record of numbers as a list in component order, as PyTorch writes tuples:
 * {@code betas: [0.9, 0.999]} is {@code Betas(0.9, 0.999)}.
 */
public final class TupleCodec<R extends Record> implements Binder.Codec<R> {
    private final Class<R> type;
    private final String example;

    /** @param example a valid value as a config writes it, e.g. {@code [0.9, 0.999]} */
    public TupleCodec(Class<R> type, String example) {
        this.type = type;
        this.example = example;
    }

    @Override
    public R read(Binder binder, Source src, String path, JsonNode n) {
        String example = path.substring(path.lastIndexOf('.') + 1) + ": " + this.example;
        RecordComponent[] comps = type.getRecordComponents();
        if (!n.isArray() || n.size() != comps.length) {
            throw src.error(path, expected(), Source.describe(n), "Write e.g. " + example);
        }
        Object[] values = new Object[comps.length];
        for (int i = 0; i < comps.length; i++) {
            values[i] = binder.value(comps[i].getGenericType(), src, path + "[" + i + "]", n.get(i));
        }
        try {
            return type.cast(Binder.canonical(type, values));
        } catch (OptionException e) {
            throw src.error(path, e.expected(), n.toString(), "Write e.g. " + example);
        }
    }

    @Override
    public JsonNode write(Binder binder, R value) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (RecordComponent c : type.getRecordComponents()) {
            try {
                a.add(binder.writeValue(c.getAccessor().invoke(value)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return a;
    }

    @Override
    public String expected() {
        return "a list of " + type.getRecordComponents().length + " numbers";
    }

    @Override
    public String example() {
        return example;
    }
}
