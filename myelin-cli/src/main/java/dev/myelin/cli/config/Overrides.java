package dev.myelin.cli.config;

import dev.myelin.model.bind.ConfigException;
import dev.myelin.model.bind.Source;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --set key=value}: a dotted path with list indices ({@code optimizer.lr},
 * {@code data.train_limit}, {@code model[1].linear.out}) and a value read as a YAML scalar.
 * Missing mappings on the way are created; list indices must exist. Whether the final key is
 * one the config knows is checked by the validation that follows, which then names the
 * {@code --set} assignment in its error.
 */
final class Overrides {
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_-]*)((?:\\[\\d+\\])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)\\]");

    private Overrides() {
    }

    /** One step of a path: a key of a mapping, or an index of a list. */
    private record Step(String key, int index) {
        boolean isIndex() {
            return key == null;
        }

        @Override
        public String toString() {
            return isIndex() ? "[" + index + "]" : key;
        }
    }

    static void apply(ObjectNode root, String assignment, Source src) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException(src.label() + ": --set " + assignment + ": expected key=value (e.g. --set optimizer.lr=0.01),"
                    + " found no '='");
        }
        String path = assignment.substring(0, eq).trim();
        List<Step> steps = parse(path, assignment, src);
        String normalized = render(steps, steps.size());
        src.recordOverride(normalized, assignment);
        JsonNode value = ConfigLoader.scalar(assignment.substring(eq + 1));
        JsonNode container = root;
        for (int i = 0; i < steps.size() - 1; i++) {
            container = descend(container, steps, i, assignment, src);
        }
        Step last = steps.get(steps.size() - 1);
        if (last.isIndex()) {
            ArrayNode a = (ArrayNode) container;
            checkIndex(a, steps, steps.size() - 1, assignment, src);
            a.set(last.index(), value);
        } else if (value.isNull()) {
            ((ObjectNode) container).remove(last.key()); // KEY=null: the key's default, as if it were not written
        } else {
            ((ObjectNode) container).set(last.key(), value);
        }
        dropOtherSpelling(root, normalized);
    }

    /** Keys a config may write in one of two spellings; a --set of one replaces the file's other. */
    private static final Map<String, String> SPELLINGS = Map.of("data.preprocess", "standardize",
            "data.standardize", "preprocess");

    /**
     * {@code --set data.preprocess=[...]} on a config that writes the older {@code data.standardize}
     * (or the other way round) replaces it, rather than failing with "not both": the command line
     * is the later statement of the same setting.
     */
    private static void dropOtherSpelling(ObjectNode root, String path) {
        SPELLINGS.forEach((key, other) -> {
            if ((path.equals(key) || path.startsWith(key + "[") || path.startsWith(key + "."))
                    && root.get("data") instanceof ObjectNode data) {
                data.remove(other);
            }
        });
    }

    /** {@code --data DIR}: sets {@code data.dir}. */
    static void setDataDir(ObjectNode root, String dir, Source src) {
        JsonNode data = root.get("data");
        if (data == null || data.isNull()) {
            data = root.putObject("data");
        }
        if (!data.isObject()) {
            throw src.error("data", "a mapping of settings", Source.describe(data), "Write e.g. `data: {dataset: mnist}`");
        }
        ((ObjectNode) data).put("dir", dir);
        src.recordOverride("data.dir", "--data " + dir);
    }

    private static List<Step> parse(String path, String assignment, Source src) {
        List<Step> steps = new ArrayList<>();
        for (String seg : path.split("\\.", -1)) {
            Matcher m = SEGMENT.matcher(seg);
            if (!m.matches()) {
                throw new ConfigException(src.label() + ": --set " + assignment + ": expected a dotted path of keys and"
                        + " [index]es such as optimizer.lr or model[1].linear.out, found '" + path + "'");
            }
            steps.add(new Step(m.group(1), -1));
            Matcher ix = INDEX.matcher(m.group(2));
            while (ix.find()) {
                steps.add(new Step(null, index(ix.group(1), assignment, src)));
            }
        }
        return steps;
    }

    private static int index(String digits, String assignment, Source src) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new ConfigException(src.label() + ": --set " + assignment + ": expected an index from 0 to "
                    + Integer.MAX_VALUE + ", found [" + digits + "]");
        }
    }

    /** The child at steps[i], created when it is a missing mapping. */
    private static JsonNode descend(JsonNode container, List<Step> steps, int i, String assignment, Source src) {
        Step s = steps.get(i);
        Step next = steps.get(i + 1);
        if (s.isIndex()) {
            ArrayNode a = (ArrayNode) container;
            checkIndex(a, steps, i, assignment, src);
            JsonNode child = a.get(s.index());
            // `- relu` written as a bare name: `model[3].relu.x` turns it into `relu: {}` first.
            if (child.isTextual() && !next.isIndex() && child.asText().equals(next.key())) {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                o.putObject(next.key());
                a.set(s.index(), o);
                child = o;
            }
            return requireContainer(child, steps, i, next, assignment, src);
        }
        ObjectNode o = (ObjectNode) container;
        JsonNode child = o.get(s.key());
        if ((child == null || child.isNull()) && !next.isIndex()) {
            return o.putObject(s.key());
        }
        if (child == null || child.isNull()) {
            throw src.error(render(steps, i + 1), "a list to index with " + next, "nothing (the field is missing)",
                    "--set can change list items but not create the list: write it in the config file");
        }
        return requireContainer(child, steps, i, next, assignment, src);
    }

    private static JsonNode requireContainer(JsonNode child, List<Step> steps, int i, Step next, String assignment,
                                             Source src) {
        if (next.isIndex() ? child.isArray() : child.isObject()) {
            return child;
        }
        throw src.error(render(steps, i + 1), next.isIndex() ? "a list to index with " + next
                        : "a mapping with the key '" + next + "'", Source.describe(child),
                "Check the path of --set " + assignment.substring(0, assignment.indexOf('=')));
    }

    private static void checkIndex(ArrayNode a, List<Step> steps, int i, String assignment, Source src) {
        int ix = steps.get(i).index();
        if (ix >= a.size()) {
            String list = render(steps, i);
            throw src.error(render(steps, i + 1), "an index of '" + list + "' in 0.." + (a.size() - 1),
                    "index " + ix + " (" + list + " has " + a.size() + " items)", "Count from 0");
        }
    }

    /** The first {@code n} steps as a field path, e.g. {@code model[1].linear}. */
    private static String render(List<Step> steps, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Step s = steps.get(i);
            if (!s.isIndex() && sb.length() > 0) {
                sb.append('.');
            }
            sb.append(s);
        }
        return sb.toString();
    }
}
