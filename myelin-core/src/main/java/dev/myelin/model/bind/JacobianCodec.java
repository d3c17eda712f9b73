package dev.myelin.model.bind;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.model.bind.Binder;
import dev.myelin.model.bind.Source;
import dev.myelin.train.regularize.Regularization;

/**
 * Reads the Jacobian penalty as its weight alone ({@code jacobian: 0.01}, one projection) or as
 * the mapping {@code {weight: 0.01, projections: 2}}; writes the mapping.
 */
final class JacobianCodec implements Binder.Codec<Regularization.Jacobian> {
    @Override
    public Regularization.Jacobian read(Binder binder, Source src, String path, JsonNode node) {
        if (node.isNumber() || node.isTextual()) {
            Regularization.Jacobian base = Regularization.Jacobian.defaults();
            return binder.readOver(base, src, path, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                    .objectNode().set("weight", node), java.util.List.of());
        }
        return binder.read(Regularization.Jacobian.class, src, path, node, example());
    }

    @Override
    public JsonNode write(Binder binder, Regularization.Jacobian value) {
        return binder.write(value);
    }

    @Override
    public String expected() {
        return "a weight or a mapping {weight, projections}";
    }

    @Override
    public String example() {
        return "0.01";
    }
}
