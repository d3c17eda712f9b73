package dev.myelin.model.bind;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One entry of a config list that is either a bare name ({@code relu}, {@code zca}) or a mapping
 * from one name to its options ({@code linear: {out: 10}}, {@code zca: {eps: 0.1}}): the model's
 * layers and the preprocessing steps.
 *
 * @param name    the name
 * @param options the options mapping, or null for a bare name
 */
public record NamedEntry(String name, JsonNode options) {

    /**
     * Reads {@code item} at {@code path}; anything else is an error listing {@code names}.
     *
     * @param what    what an entry is, e.g. "a layer"
     * @param example the fix shown in the error
     */
    public static NamedEntry read(Source src, String path, JsonNode item, String what, List<String> names,
                                  String example) {
        if (item != null && item.isTextual()) {
            return new NamedEntry(item.asText(), null);
        }
        if (item != null && item.isObject() && item.size() == 1) {
            String name = item.fieldNames().next();
            return new NamedEntry(name, item.get(name));
        }
        throw src.error(path, what + " (one of " + String.join(", ", names) + ")", Source.describe(item),
                "To fix: " + example);
    }
}
