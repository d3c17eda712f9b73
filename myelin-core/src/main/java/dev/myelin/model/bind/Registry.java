package dev.myelin.model.bind;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.model.bind.Binder;
import dev.myelin.model.bind.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The names a config may use for one kind of thing (layers, optimizers, schedules, ...): each
 * name maps to the core's {@code Options} record of that thing and a build function
 * {@code (options, context) -> thing}. Adding a layer, optimizer or schedule to the command line
 * is one core class plus one line here; the YAML is read and written by {@link Binder}.
 *
 * @param <C> what the build function needs besides the options (e.g. the layer's input shape)
 * @param <T> what it builds
 */
public final class Registry<C, T> {
    /** One registered name. {@code options} is null for things without options (e.g. relu). */
    public record Entry<C, T>(String name, Class<? extends Record> options, Supplier<? extends Record> defaults,
                              BiFunction<Record, C, T> build) {
    }

    private final String what;
    private final Map<String, Entry<C, T>> entries = new LinkedHashMap<>();

    /** @param what what one entry is, in errors: "a layer", "an optimizer" */
    public Registry(String what) {
        this.what = what;
    }

    /** Registers {@code name} with its options record and build function. */
    public <R extends Record> Registry<C, T> add(String name, Class<R> options, BiFunction<R, C, T> build) {
        return put(name, options, null, build);
    }

    /**
     * Registers {@code name} with options whose defaults differ from the record's own (AdamW's
     * weight decay on Adam's options): {@code defaults} is the core's factory of them.
     */
    public <R extends Record> Registry<C, T> add(String name, Class<R> options, Supplier<R> defaults,
                                                 BiFunction<R, C, T> build) {
        return put(name, options, defaults, build);
    }

    /** Registers {@code name}, which has no options. */
    public Registry<C, T> add(String name, Function<C, T> build) {
        return put(name, null, null, (Record o, C c) -> build.apply(c));
    }

    @SuppressWarnings("unchecked")
    private <R extends Record> Registry<C, T> put(String name, Class<R> options, Supplier<R> defaults,
                                                  BiFunction<R, C, T> build) {
        if (entries.containsKey(name)) {
            throw new IllegalStateException("registered twice: " + name);
        }
        entries.put(name, new Entry<>(name, options, defaults, (o, c) -> build.apply((R) o, c)));
        return this;
    }

    /** The names, in registration order (the order the docs list them). */
    public List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    public Optional<Entry<C, T>> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** What an entry is, e.g. "a layer". */
    public String what() {
        return what;
    }

    /**
     * The entry called {@code name}, found at {@code path}; an unknown name is an error listing the
     * names, with a did-you-mean.
     */
    public Entry<C, T> require(Source src, String path, String name, JsonNode found) {
        Entry<C, T> e = entries.get(name);
        if (e == null) {
            String guess = Source.didYouMean(name, names());
            throw src.error(path, what + ", one of " + String.join(", ", names()),
                    found != null ? Source.describe(found) : "'" + name + "'",
                    guess != null ? "Did you mean '" + guess + "'?" : "Use one of the names listed");
        }
        return e;
    }
}
