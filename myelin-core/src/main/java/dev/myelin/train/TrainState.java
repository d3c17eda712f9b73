package dev.myelin.train;

import dev.myelin.io.AtomicFolder;
import dev.myelin.io.CheckpointException;
import dev.myelin.io.Json;
import dev.myelin.io.SafeTensors;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training run needs besides its model weights to continue exactly: scalars (the step,
 * the loader's position, the random streams' positions, a schedule's counter, early stopping's
 * best value) and tensors (optimizer moments, early stopping's best weights), under dotted keys
 * such as {@code callbacks.early_stopping.best} or {@code optimizer.state.0.exp_avg}.
 *
 * <p>A component writes its part through {@link #child(String)}, a view that prefixes its keys,
 * so it needs to know no other component's names. On disk ({@link #write}) the scalars are
 * {@code trainer.json}, one key per line for a person to read, and the tensors are
 * {@code trainer.safetensors}. Doubles round-trip exactly (shortest decimal form); NaN and the
 * infinities, which JSON lacks, are written as the strings {@code "NaN"}, {@code "Infinity"} and
 * {@code "-Infinity"}. A getter whose key is missing or of another type throws an
 * {@link IllegalArgumentException} naming the file and the key.
 */
public final class TrainState {
    /** The scalars' file in a checkpoint folder. */
    public static final String VALUES_FILE = "trainer.json";
    /** The tensors' file in a checkpoint folder. */
    public static final String TENSORS_FILE = "trainer.safetensors";

    private final Map<String, Object> values;
    private final Map<String, Tensor> tensors;
    private final String prefix;
    private final String source;

    /** An empty state. */
    public TrainState() {
        this(new LinkedHashMap<>(), new LinkedHashMap<>(), "", "a trainer state");
    }

    private TrainState(Map<String, Object> values, Map<String, Tensor> tensors, String prefix, String source) {
        this.values = values;
        this.tensors = tensors;
        this.prefix = prefix;
        this.source = source;
    }

    /** A view whose keys are this one's with {@code name + "."} in front. */
    public TrainState child(String name) {
        return new TrainState(values, tensors, prefix + name + ".", source);
    }

    public TrainState put(String key, long value) {
        values.put(prefix + key, value);
        return this;
    }

    public TrainState put(String key, double value) {
        values.put(prefix + key, Double.isFinite(value) ? (Object) value : Double.toString(value));
        return this;
    }

    public TrainState put(String key, String value) {
        values.put(prefix + key, value);
        return this;
    }

    public TrainState put(String key, boolean value) {
        values.put(prefix + key, value);
        return this;
    }

    /** A copy of {@code value}, so later updates of the live tensor do not reach the state. */
    public TrainState put(String key, Tensor value) {
        tensors.put(prefix + key, value.copy());
        return this;
    }

    /** Copies of every tensor of {@code dict}, under {@code key + "." + its key}. */
    public TrainState putAll(String key, Map<String, Tensor> dict) {
        dict.forEach((k, t) -> put(key + "." + k, t));
        return this;
    }

    /** True when this view holds {@code key}, as a scalar or a tensor. */
    public boolean has(String key) {
        return values.containsKey(prefix + key) || tensors.containsKey(prefix + key);
    }

    public long getLong(String key) {
        Object v = value(key);
        if (v instanceof Long n) {
            return n;
        }
        throw bad(key, "an integer", v);
    }

    public int getInt(String key) {
        long v = getLong(key);
        if (v != (int) v) {
            throw bad(key, "an int", v);
        }
        return (int) v;
    }

    public double getDouble(String key) {
        Object v = value(key);
        return switch (v) {
            case Long n -> n;
            case Double d -> d;
            case BigDecimal d -> d.doubleValue();
            case String s when s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity") -> Double.parseDouble(s);
            default -> throw bad(key, "a number", v);
        };
    }

    public String getString(String key) {
        Object v = value(key);
        if (v instanceof String s) {
            return s;
        }
        throw bad(key, "a string", v);
    }

    public boolean getBoolean(String key) {
        Object v = value(key);
        if (v instanceof Boolean b) {
            return b;
        }
        throw bad(key, "true or false", v);
    }

    public Tensor tensor(String key) {
        Tensor t = tensors.get(prefix + key);
        if (t == null) {
            throw new IllegalArgumentException(source + ": no tensor '" + prefix + key + "'; the checkpoint was written"
                    + " by a run with other settings, or is damaged");
        }
        return t;
    }

    /** Every tensor under {@code key + "."}, with that prefix removed (the inverse of {@link #putAll}). */
    public Map<String, Tensor> tensors(String key) {
        String p = prefix + key + ".";
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> {
            if (k.startsWith(p)) {
                out.put(k.substring(p.length()), t);
            }
        });
        return out;
    }

    /** The keys of this view's scalars directly under {@code key + "."}, e.g. the stream names. */
    public List<String> keys(String key) {
        String p = prefix + key + ".";
        List<String> out = new ArrayList<>();
        values.keySet().forEach(k -> {
            if (k.startsWith(p)) {
                out.add(k.substring(p.length()));
            }
        });
        return out;
    }

    private Object value(String key) {
        if (!values.containsKey(prefix + key)) {
            throw new IllegalArgumentException(source + ": no value '" + prefix + key + "'; the checkpoint was written"
                    + " by a run with other settings, or is damaged");
        }
        return values.get(prefix + key);
    }

    private IllegalArgumentException bad(String key, String expected, Object found) {
        return new IllegalArgumentException(source + ": '" + prefix + key + "': expected " + expected + ", found "
                + found);
    }

    /** Writes {@link #VALUES_FILE} and {@link #TENSORS_FILE} into {@code folder}. */
    public void write(Path folder) throws IOException {
        AtomicFolder.writeText(folder.resolve(VALUES_FILE), Json.writeObject(values));
        SafeTensors.write(folder.resolve(TENSORS_FILE), tensors);
    }

    /** Reads a state {@link #write} wrote into {@code folder}. */
    public static TrainState read(Path folder) throws IOException {
        return read(folder, true);
    }

    /**
     * Reads only the scalars of {@code folder}'s state ({@link #VALUES_FILE}), e.g. its step
     * and epoch, without the optimizer's tensors; {@link #tensor} finds none in it.
     */
    public static TrainState readValues(Path folder) throws IOException {
        return read(folder, false);
    }

    private static TrainState read(Path folder, boolean withTensors) throws IOException {
        Path json = folder.resolve(VALUES_FILE);
        if (!Files.isRegularFile(json)) {
            throw new CheckpointException(json, "no such file; expected a checkpoint folder written by a Trainer"
                    + " (it holds " + VALUES_FILE + " and " + TENSORS_FILE + ")");
        }
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(json));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(json, "not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new CheckpointException(json, "expected a JSON object of trainer values, found " + parsed);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        map.forEach((k, v) -> values.put((String) k, v));
        Map<String, Tensor> tensors = withTensors
                ? new LinkedHashMap<>(SafeTensors.read(folder.resolve(TENSORS_FILE)).tensors()) : new LinkedHashMap<>();
        return new TrainState(values, tensors, "", json.toString());
    }
}
