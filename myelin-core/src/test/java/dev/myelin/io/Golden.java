package dev.myelin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A read-only view of a golden file written by {@code tools/golden/make_golden.py} (see the
 * schema at the top of that script), for tests in any package:
 *
 * <pre>
 * Golden g = Golden.load("linear_cross_entropy.json");
 * Tensor x = g.get("x").tensor();
 * g.tolerance().assertClose("logits", g.get("logits").tensor(), actualLogits);
 * </pre>
 */
public final class Golden {
    private final String path;
    private final Object value;

    private Golden(String path, Object value) {
        this.path = path;
        this.value = value;
    }

    /** {@code |actual - expected| <= atol + rtol * |expected|}, element-wise. */
    public record Tolerance(double atol, double rtol) {
        /** Fails naming the first element out of tolerance, its index, and both values. */
        public void assertClose(String what, Tensor expected, Tensor actual) {
            assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + ": shape");
            float[] e = expected.data();
            float[] a = actual.data();
            for (int i = 0; i < e.length; i++) {
                double diff = Math.abs((double) a[i] - e[i]);
                if (!(diff <= atol + rtol * Math.abs(e[i]))) {
                    fail(what + "[" + i + "]: expected " + e[i] + " +- " + (atol + rtol * Math.abs(e[i]))
                            + ", got " + a[i]);
                }
            }
        }
    }

    /** Loads {@code golden/NAME} from the test classpath. */
    public static Golden load(String name) {
        String resource = "/golden/" + name;
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException(resource + " is not on the test classpath; "
                        + "run /usr/bin/python3 tools/golden/make_golden.py");
            }
            return new Golden(name, Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's tolerance. */
    public Tolerance tolerance() {
        return new Tolerance(get("tolerance").get("atol").asDouble(), get("tolerance").get("rtol").asDouble());
    }

    /** The member {@code key} of this object. */
    public Golden get(String key) {
        if (!(value instanceof Map<?, ?> map) || !map.containsKey(key)) {
            throw new IllegalArgumentException(path + ": expected an object with key \"" + key + "\"");
        }
        return new Golden(path + "." + key, map.get(key));
    }

    /** Element {@code index} of this array. */
    public Golden get(int index) {
        return new Golden(path + "[" + index + "]", list().get(index));
    }

    /** Whether this object has member {@code key}. */
    public boolean has(String key) {
        return value instanceof Map<?, ?> map && map.containsKey(key);
    }

    /** Calls {@code action} with the path and node of every {@code {"shape", "data"}} object within. */
    public void forEachTensor(BiConsumer<String, Golden> action) {
        if (has("shape") && has("data")) {
            action.accept(path, this);
        } else if (value instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                get((String) key).forEachTensor(action);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                get(i).forEachTensor(action);
            }
        }
    }

    /** The length of this array. */
    public int size() {
        return list().size();
    }

    /** This {@code {"shape", "data"}} object as a float32 tensor (integer data converted). */
    public Tensor tensor() {
        int[] shape = get("shape").list().stream().mapToInt(d -> ((Long) d).intValue()).toArray();
        List<?> data = get("data").list();
        float[] out = new float[data.size()];
        for (int i = 0; i < out.length; i++) {
            // Through the decimal text, so the float is exactly the float32 torch wrote.
            out[i] = Float.parseFloat(data.get(i).toString());
        }
        return Tensor.of(out, shape);
    }

    /** This {@code {"shape", "data"}} object's data as integers (class targets). */
    public long[] longs() {
        return get("data").list().stream().mapToLong(v -> (Long) v).toArray();
    }

    public double asDouble() {
        return ((Number) value).doubleValue();
    }

    public long asLong() {
        return (Long) value;
    }

    public String asString() {
        return (String) value;
    }

    public boolean asBoolean() {
        return (Boolean) value;
    }

    private List<?> list() {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(path + ": expected an array");
        }
        return list;
    }
}
