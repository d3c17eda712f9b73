package dev.myelin.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.yaml.Fields;
import dev.myelin.cli.yaml.Source;

/**
 * The config's {@code ensemble} section, {@code {members: K}}: bagging (Breiman 1996), K models
 * trained on bootstrap samples of the training split whose predicted probabilities are averaged
 * ({@code myelin train --ensemble K} sets it).
 */
public record EnsembleConfig(int members) {
    public ObjectNode toTree() {
        return JsonNodeFactory.instance.objectNode().put("members", members);
    }

    /** Reads the section; null when it is absent. */
    static EnsembleConfig parse(Source src, JsonNode node) {
        if (node == null) {
            return null;
        }
        Fields f = Fields.of(src, "ensemble", node, "Write e.g. `ensemble: {members: 5}`");
        int k = f.integer("members", null, 2, "members: 5");
        f.finish();
        return new EnsembleConfig(k);
    }
}
