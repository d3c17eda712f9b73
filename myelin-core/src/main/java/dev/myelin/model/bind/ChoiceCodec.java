package dev.myelin.model.bind;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.model.bind.Binder;
import dev.myelin.model.bind.Source;

/**
 * Reads and writes a value of an interface type whose implementations are the options records
 * of a {@link Registry} (a weight initialization: {@code init: orthogonal},
 * {@code init: {name: kaiming_normal, nonlinearity: relu}}) as a {@link Choice.Style#NAMED}
 * choice, so that a record option of that type binds like any other.
 */
public final class ChoiceCodec<T> implements Binder.Codec<T> {
    private final Registry<Void, T> registry;
    private final String example;

    /** @param example a name to show in errors' examples */
    public ChoiceCodec(Registry<Void, T> registry, String example) {
        this.registry = registry;
        this.example = example;
    }

    @Override
    public T read(Binder binder, Source src, String path, JsonNode node) {
        return Choice.read(registry, binder, src, path, node, Choice.Style.NAMED).build(null);
    }

    @Override
    public JsonNode write(Binder binder, T value) {
        for (String name : registry.names()) {
            Registry.Entry<Void, T> e = registry.find(name).orElseThrow();
            boolean match = e.options() != null ? e.options().isInstance(value)
                    : e.build().apply(null, null).getClass() == value.getClass();
            if (match) {
                return new Choice<>(e, e.options() == null ? null : (Record) value, Choice.Style.NAMED).write(binder);
            }
        }
        throw new IllegalStateException("no name registered for " + value.getClass().getName());
    }

    @Override
    public String expected() {
        return registry.what() + ", one of " + String.join(", ", registry.names());
    }

    @Override
    public String example() {
        return example;
    }
}
