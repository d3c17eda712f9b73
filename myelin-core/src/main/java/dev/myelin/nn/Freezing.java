package dev.myelin.nn;

import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Freezes and thaws parts of a model by name pattern, for fine-tuning (Huang, "Training Deep
 * Neural Networks", transfer learning: freeze the reused layers and train the new head, then
 * unfreeze the top ones with a smaller learning rate; Géron, Hands-On Machine Learning, ch. 11).
 * <ul>
 *   <li>A frozen parameter does not require a gradient ({@code requires_grad_(False)} in
 *       PyTorch): backpropagation computes none for it, so the optimizer neither updates it nor
 *       keeps state for it, and penalties, constraints and weight noise leave it out
 *       ({@code ParamSelection}).</li>
 *   <li>A module all of whose own parameters and buffers are frozen runs in evaluation mode
 *       even while the model trains ({@link Module#isFrozen()}): a frozen batch norm normalizes
 *       with its running statistics and does not update them. This is Keras's rule for
 *       {@code BatchNormalization(trainable=False)}; in PyTorch, {@code requires_grad_(False)}
 *       alone leaves the running statistics drifting (pytorch/pytorch#86590).</li>
 * </ul>
 * Patterns are {@link NamePattern}s over state-dict keys: {@code "0.*"} or {@code "0"} is
 * layer 0, {@code "features.*"} a whole sub-network.
 */
public final class Freezing {
    private Freezing() {
    }

    /**
     * Freezes the parameters and modules that {@code patterns} match; returns the frozen
     * parameters' names.
     *
     * @throws IllegalArgumentException when a pattern matches no key of the model
     */
    public static List<String> freeze(Module model, List<String> patterns) {
        return apply(model, patterns, true);
    }

    /**
     * Thaws what {@code patterns} match (the reverse of {@link #freeze}); returns the thawed
     * parameters' names. A thawed module trains again from the next {@link Module#train()}.
     *
     * @throws IllegalArgumentException when a pattern matches no key of the model
     */
    public static List<String> unfreeze(Module model, List<String> patterns) {
        return apply(model, patterns, false);
    }

    /** The names of the parameters that do not require a gradient, in state-dict order. */
    public static List<String> frozenParameters(Module model) {
        List<String> out = new ArrayList<>();
        model.namedParameters().forEach((k, p) -> {
            if (!p.requiresGrad()) {
                out.add(k);
            }
        });
        return out;
    }

    private static List<String> apply(Module model, List<String> texts, boolean freeze) {
        List<NamePattern> patterns = NamePattern.of(texts);
        checkAllMatch(model, patterns);
        Set<String> changed = new LinkedHashSet<>();
        walk(model, "", (prefix, m) -> {
            boolean any = false;
            boolean all = true;
            for (Map.Entry<String, Tensor> e : m.ownParameters().entrySet()) {
                boolean hit = NamePattern.any(patterns, prefix + e.getKey());
                if (hit) {
                    e.getValue().requiresGrad(!freeze);
                    e.getValue().setGrad(null);
                    changed.add(prefix + e.getKey());
                }
                any |= hit;
                all &= hit;
            }
            for (String b : m.ownBuffers().keySet()) {
                boolean hit = NamePattern.any(patterns, prefix + b);
                any |= hit;
                all &= hit;
            }
            if (freeze && any && all) {
                m.setFrozen(true);
            } else if (!freeze && any) {
                m.setFrozen(false);
            }
        });
        return List.copyOf(changed);
    }

    private static void checkAllMatch(Module model, List<NamePattern> patterns) {
        Set<String> keys = model.stateDict().keySet();
        for (NamePattern p : patterns) {
            if (keys.stream().noneMatch(p::matches)) {
                throw new IllegalArgumentException("the pattern \"" + p + "\" matches no parameter or buffer of the"
                        + " model; its layers are " + model.children().keySet() + " (write e.g. \""
                        + model.children().keySet().stream().findFirst().orElse("0") + ".*\")");
            }
        }
    }

    private static void walk(Module m, String prefix, BiConsumer<String, Module> visit) {
        visit.accept(prefix, m);
        m.children().forEach((name, c) -> walk(c, prefix + name + ".", visit));
    }
}
