package dev.myelin.model.bind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.options.OptionException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds YAML to the core's {@code Options} records, and writes them back, by the records' own
 * shape: one generic binder instead of a parser per class. The rules the records follow:
 * <ul>
 *   <li>a component's key is its name in snake_case ({@code trackRunningStats} is
 *       {@code track_running_stats});</li>
 *   <li>a record with {@code static defaults()} has every option optional; a record with
 *       {@code static of(a, b, ...)} instead has its first components required, and {@code of}
 *       fills in the defaults of the rest;</li>
 *   <li>the compact constructor checks the values and throws
 *       {@link OptionException} naming the key, which becomes an error at that field.</li>
 * </ul>
 * Values: int, long, double (a string that spells a number, as YAML 1.1 reads {@code 1e-3}, is
 * taken), boolean, String, enums (lower case), lists, mappings with string keys ({@code Map}),
 * nested records (a mapping), and types with
 * a registered {@link Codec} (an int-or-pair size, a tuple, a named choice). A missing key or an
 * explicit null takes the default. Every error names the file, the field path, what was expected
 * and what was found ({@link Source#error}).
 */
public final class Binder {
    /** Reads and writes one Java type that is not a plain record or scalar. */
    public interface Codec<T> {
        /** Reads {@code node} (not null) at {@code path}; {@code expected} describes the type in errors. */
        T read(Binder binder, Source src, String path, JsonNode node);

        JsonNode write(Binder binder, T value);

        /** What a value looks like, for error messages ("an integer or a list [height, width]"). */
        String expected();

        /** A value to show in an example, e.g. {@code 3}. */
        String example();
    }

    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<Class<?>, Codec<?>> codecs = new HashMap<>();

    /** Registers how {@code type} is read and written. */
    public <T> Binder with(Class<T> type, Codec<T> codec) {
        codecs.put(type, codec);
        return this;
    }

    /** The snake_case key of a record component name. */
    public static String key(String component) {
        StringBuilder sb = new StringBuilder();
        for (char ch : component.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** The snake_case keys of {@code type}, in component order. */
    public static List<String> keys(Class<? extends Record> type) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            keys.add(key(c.getName()));
        }
        return keys;
    }

    /** The record with every option at its default; only for records without required options. */
    public static <R extends Record> R defaults(Class<R> type) {
        Method d = factory(type, "defaults");
        if (d == null || d.getParameterCount() != 0) {
            throw new IllegalArgumentException(type.getName() + " has required options: it has no defaults()");
        }
        return type.cast(invoke(d, null, new Object[0]));
    }

    /**
     * Reads the mapping {@code node} (null: all defaults) at {@code path} into {@code type}.
     *
     * @param example what to write instead, shown when {@code node} is not a mapping
     */
    public <R extends Record> R read(Class<R> type, Source src, String path, JsonNode node, String example) {
        if (node != null && !node.isNull() && !node.isObject()) {
            throw src.error(path, "a mapping of settings (" + String.join(", ", keys(type)) + ")",
                    Source.describe(node), "Write e.g. " + example);
        }
        RecordComponent[] comps = type.getRecordComponents();
        List<String> keys = keys(type);
        rejectUnknown(src, path, node, keys);
        Method make = defaultsFactory(type);
        int[] required = requiredComponents(make, comps);
        Object[] values = new Object[comps.length];
        Object[] head = new Object[required.length];
        for (int j = 0; j < required.length; j++) {
            int i = required[j];
            JsonNode n = get(node, keys.get(i));
            if (n == null) {
                throw src.error(sub(path, keys.get(i)), expected(comps[i].getGenericType()),
                        Source.describe(null), "Add it, e.g. " + keys.get(i) + ": " + example(comps[i].getGenericType()));
            }
            values[i] = value(comps[i].getGenericType(), src, sub(path, keys.get(i)), n);
            head[j] = values[i];
        }
        R dflt = type.cast(construct(src, path, keys, () -> invoke(make, null, head), k -> exampleOf(type, k)));
        for (int i = 0; i < comps.length; i++) {
            JsonNode n = get(node, keys.get(i));
            if (values[i] == null) {
                values[i] = n == null ? accessor(comps[i], dflt)
                        : value(comps[i].getGenericType(), src, sub(path, keys.get(i)), n);
            }
        }
        return type.cast(construct(src, path, keys, () -> canonical(type, values), k -> {
            int i = keys.indexOf(k);
            Object d = i < 0 || java.util.Arrays.stream(required).anyMatch(r -> r == i) ? null : accessor(comps[i], dflt);
            return d == null ? exampleOf(type, k) : writeValue(d).toString();
        }));
    }

    /**
     * The components {@code of(...)} takes, in its parameter order: by parameter name (the build
     * compiles with {@code -parameters}), else the first ones.
     */
    private static int[] requiredComponents(Method make, RecordComponent[] comps) {
        var params = make.getParameters();
        int[] idx = new int[params.length];
        for (int j = 0; j < params.length; j++) {
            idx[j] = j;
            for (int i = 0; params[j].isNamePresent() && i < comps.length; i++) {
                if (comps[i].getName().equals(params[j].getName())) {
                    idx[j] = i;
                }
            }
        }
        return idx;
    }

    /** {@code defaults()}, or else {@code of(required...)}: where a record's default values are written. */
    private static Method defaultsFactory(Class<?> type) {
        Method m = factory(type, "defaults");
        if (m == null) {
            m = factory(type, "of");
        }
        if (m == null) {
            throw new IllegalStateException(type.getName() + ": an Options record needs defaults() or of(...)");
        }
        return m;
    }

    private String exampleOf(Class<? extends Record> type, String key) {
        for (RecordComponent c : type.getRecordComponents()) {
            if (key(c.getName()).equals(key)) {
                return example(c.getGenericType());
            }
        }
        return "...";
    }

    /**
     * Reads the mapping {@code node} at {@code path} over {@code base}: the keys it writes replace
     * base's values, the others are inherited (e.g. a parameter group's options over the
     * optimizer's). {@code ignored} keys belong to the caller and are skipped.
     */
    @SuppressWarnings("unchecked")
    public <R extends Record> R readOver(R base, Source src, String path, JsonNode node, List<String> ignored) {
        Class<R> type = (Class<R>) base.getClass();
        if (node != null && !node.isNull() && !node.isObject()) {
            throw src.error(path, "a mapping of settings (" + String.join(", ", keys(type)) + ")",
                    Source.describe(node), "Write the settings as `key: value` lines");
        }
        RecordComponent[] comps = type.getRecordComponents();
        List<String> keys = keys(type);
        List<String> known = new ArrayList<>(ignored);
        known.addAll(keys);
        rejectUnknown(src, path, node, known);
        Object[] values = new Object[comps.length];
        for (int i = 0; i < comps.length; i++) {
            JsonNode n = get(node, keys.get(i));
            values[i] = n == null ? accessor(comps[i], base) : value(comps[i].getGenericType(), src, sub(path, keys.get(i)), n);
        }
        return type.cast(construct(src, path, keys, () -> canonical(type, values),
                k -> keys.contains(k) && accessor(comps[keys.indexOf(k)], base) != null
                        ? writeValue(accessor(comps[keys.indexOf(k)], base)).toString() : exampleOf(type, k)));
    }

    /** A record written as a mapping, every component present (null ones left out). */
    public ObjectNode write(Record r) {
        ObjectNode o = NODES.objectNode();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v = accessor(c, r);
            if (v != null) {
                o.set(key(c.getName()), writeValue(v));
            }
        }
        return o;
    }

    /** One value as a tree: scalars, enums, lists, records, and registered types. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public JsonNode writeValue(Object v) {
        Codec codec = codecFor(v.getClass());
        if (codec != null) {
            return codec.write(this, v);
        }
        return switch (v) {
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Double d -> NODES.numberNode(d);
            case Float f -> NODES.numberNode(f);
            case Boolean b -> NODES.booleanNode(b);
            case String s -> NODES.textNode(s);
            case Enum<?> e -> NODES.textNode(e.name().toLowerCase(Locale.ROOT));
            case List<?> list -> {
                ArrayNode a = NODES.arrayNode();
                list.forEach(x -> a.add(writeValue(x)));
                yield a;
            }
            case Map<?, ?> map -> {
                ObjectNode o = NODES.objectNode();
                map.forEach((k, x) -> o.set(String.valueOf(k), writeValue(x)));
                yield o;
            }
            case Record r -> write(r);
            default -> throw new IllegalStateException("cannot write " + v.getClass().getName() + " as YAML");
        };
    }

    /** Reads {@code n} (not null) as a value of {@code type} at {@code path}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object value(Type type, Source src, String path, JsonNode n) {
        Class<?> raw = raw(type);
        Codec codec = codecFor(raw);
        if (codec != null) {
            return codec.read(this, src, path, n);
        }
        if (raw == int.class || raw == Integer.class) {
            return (int) integral(src, path, n, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (raw == long.class || raw == Long.class) {
            return integral(src, path, n, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (raw == double.class || raw == Double.class) {
            return number(src, path, n);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (!n.isBoolean()) {
                throw src.error(path, "true or false", Source.describe(n), "Write e.g. " + last(path) + ": true");
            }
            return n.asBoolean();
        }
        if (raw == String.class) {
            if (!n.isTextual() && !n.isNumber()) {
                throw src.error(path, "a string", Source.describe(n), "Write e.g. " + last(path) + ": NAME");
            }
            return n.asText();
        }
        if (raw.isEnum()) {
            return enumValue(raw, src, path, n);
        }
        if (raw == List.class) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            if (n.isValueNode()) {
                // PyTorch's "int or list" arguments: one value is a list of one
                return List.of(value(element, src, path, n));
            }
            if (!n.isArray()) {
                throw src.error(path, "a list of " + plural(expected(element)), Source.describe(n),
                        "Write e.g. " + last(path) + ": [" + example(element) + "]");
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                out.add(value(element, src, path + "[" + i + "]", n.get(i)));
            }
            return List.copyOf(out);
        }
        if (raw == Map.class) {
            return mapping(((ParameterizedType) type).getActualTypeArguments()[1], src, path, n);
        }
        if (raw.isRecord()) {
            return read((Class<? extends Record>) raw, src, path, n, last(path) + ": {...}");
        }
        throw new IllegalStateException("cannot read " + type.getTypeName() + " from YAML");
    }

    /** A mapping of string keys to values of {@code valueType}, in the order written. */
    private Map<String, Object> mapping(Type valueType, Source src, String path, JsonNode n) {
        if (!n.isObject()) {
            throw src.error(path, "a mapping of names to " + plural(expected(valueType)), Source.describe(n),
                    "Write e.g. " + last(path) + ": {KEY: " + example(valueType) + "}");
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), value(valueType, src, path + "." + e.getKey(), e.getValue()));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** A finite number; strings that spell one ({@code 1e-3}) are taken. */
    public static double number(Source src, String path, JsonNode n) {
        double v;
        if (n.isNumber()) {
            v = n.asDouble();
        } else if (n.isTextual() && NUMBER.matcher(n.asText().trim()).matches()) {
            v = Double.parseDouble(n.asText().trim());
        } else {
            throw src.error(path, "a number", Source.describe(n), "Write e.g. " + last(path) + ": 0.1");
        }
        if (!Double.isFinite(v)) {
            throw src.error(path, "a finite number", Source.describe(n), "Write e.g. " + last(path) + ": 0.1");
        }
        return v;
    }

    /** A whole number in [lo, hi]. */
    public static long integral(Source src, String path, JsonNode n, long lo, long hi) {
        if (!n.isNumber() || !n.canConvertToExactIntegral() || !n.canConvertToLong() || n.asLong() < lo
                || n.asLong() > hi) {
            throw src.error(path, "an integer", Source.describe(n), "Write a whole number, e.g. " + last(path) + ": 10");
        }
        return n.asLong();
    }

    /** How a value of {@code type} is described in errors. */
    public String expected(Type type) {
        Class<?> raw = raw(type);
        Codec<?> codec = codecFor(raw);
        if (codec != null) {
            return codec.expected();
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return "an integer";
        }
        if (raw == double.class || raw == Double.class) {
            return "a number";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "true or false";
        }
        if (raw.isEnum()) {
            return "one of " + String.join(", ", enumNames(raw));
        }
        if (raw == List.class) {
            return "a list";
        }
        return raw.isRecord() || raw == Map.class ? "a mapping" : "a string";
    }

    private String example(Type type) {
        Class<?> raw = raw(type);
        Codec<?> codec = codecFor(raw);
        if (codec != null) {
            return codec.example();
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return "10";
        }
        if (raw == double.class || raw == Double.class) {
            return "0.1";
        }
        if (raw.isEnum()) {
            return enumNames(raw).get(0);
        }
        if (raw == List.class) {
            return "[" + example(((ParameterizedType) type).getActualTypeArguments()[0]) + "]";
        }
        return raw == boolean.class ? "true" : "NAME";
    }

    private Codec<?> codecFor(Class<?> raw) {
        for (Class<?> c = raw; c != null; c = c.getSuperclass()) {
            Codec<?> codec = codecs.get(c);
            if (codec != null) {
                return codec;
            }
            for (Class<?> i : c.getInterfaces()) {
                if (codecs.containsKey(i)) {
                    return codecs.get(i);
                }
            }
        }
        return null;
    }

    private static Object enumValue(Class<?> type, Source src, String path, JsonNode n) {
        List<String> names = enumNames(type);
        String text = n.isTextual() ? n.asText() : null;
        int i = text == null ? -1 : names.indexOf(text);
        if (i < 0) {
            String guess = text == null ? null : Source.didYouMean(text, names);
            throw src.error(path, "one of " + String.join(", ", names), Source.describe(n),
                    guess != null ? "Did you mean '" + guess + "'?" : "Write one of these");
        }
        return type.getEnumConstants()[i];
    }

    private static List<String> enumNames(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Object e : type.getEnumConstants()) {
            names.add(((Enum<?>) e).name().toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static void rejectUnknown(Source src, String path, JsonNode node, List<String> keys) {
        if (node == null || node.isNull()) {
            return;
        }
        Iterator<String> it = node.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (!keys.contains(k)) {
                String guess = Source.didYouMean(k, keys);
                throw src.error(sub(path, k), (path.isEmpty() ? "a known key" : "a known key of '" + path + "'")
                                + " (" + String.join(", ", keys) + ")", "unknown key '" + k + "'",
                        guess != null ? "Did you mean '" + guess + "'?" : "Remove it or fix its spelling");
            }
        }
    }

    /** Runs a record construction, turning an {@link OptionException} into an error at its field. */
    private static Object construct(Source src, String path, List<String> keys, java.util.function.Supplier<Object> make,
                                    java.util.function.Function<String, String> example) {
        try {
            return make.get();
        } catch (OptionException e) {
            String field = keys.contains(e.key()) || path.isEmpty() ? sub(path, e.key()) : path;
            throw src.error(field, e.expected(), e.found(), "Write e.g. " + e.key() + ": " + example.apply(e.key()));
        } catch (IllegalArgumentException e) {
            throw src.error(path, "valid settings", "a value the layer refuses: " + e.getMessage(), "Change it");
        }
    }

    /** Constructs {@code type} from its component values in order (its checks run). */
    static Object canonical(Class<? extends Record> type, Object[] values) {
        RecordComponent[] comps = type.getRecordComponents();
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            types[i] = comps[i].getType();
        }
        try {
            var ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw rethrow(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    private static Method factory(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers()) && m.getReturnType() == type) {
                return m;
            }
        }
        return null;
    }

    private static Object invoke(Method m, Object target, Object[] args) {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw rethrow(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + m, e);
        }
    }

    private static Object accessor(RecordComponent c, Object r) {
        try {
            Method m = c.getAccessor();
            m.setAccessible(true);
            return m.invoke(r);
        } catch (InvocationTargetException e) {
            throw rethrow(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c, e);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    private static JsonNode get(JsonNode node, String key) {
        JsonNode n = node == null ? null : node.get(key);
        return n == null || n.isNull() ? null : n;
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    /** {@code path.key}, or {@code key} at the top level. */
    public static String sub(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String last(String path) {
        String p = path.replaceAll("\\[\\d+]$", "");
        int dot = p.lastIndexOf('.');
        return dot < 0 ? p : p.substring(dot + 1);
    }

    private static String plural(String expected) {
        return expected.replaceFirst("^an? ", "") + "s";
    }
}
