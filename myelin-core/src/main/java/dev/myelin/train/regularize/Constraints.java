package dev.myelin.train.regularize;

import dev.myelin.nn.Module;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.Callback;
import dev.myelin.train.TrainContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Enforces {@link Constraint}s during {@link dev.myelin.train.Trainer#fit}: every constraint is
 * projected onto its parameters when training begins (so the first step starts feasible) and
 * after every optimizer step, so they hold whenever the model is used. Constraints apply in the
 * order added.
 */
public final class Constraints implements Callback {
    /** One constraint and the parameters it applies to. */
    public record Rule(Constraint constraint, ParamSelection applyTo) {
    }

    private final List<Rule> rules = new ArrayList<>();

    /** Adds {@code c} on the selected parameters. */
    public Constraints add(Constraint c, ParamSelection applyTo) {
        rules.add(new Rule(c, applyTo));
        return this;
    }

    /** Adds {@code c} on the weights (not biases or normalization parameters). */
    public Constraints add(Constraint c) {
        return add(c, ParamSelection.WEIGHTS);
    }

    public List<Rule> rules() {
        return List.copyOf(rules);
    }

    /** Projects every parameter onto its constraints now. */
    public void apply(Module model) {
        for (Rule r : rules) {
            for (Tensor w : r.applyTo().select(model).values()) {
                r.constraint().project(w);
            }
        }
    }

    @Override
    public void onTrainBegin(TrainContext ctx) {
        apply(ctx.model());
    }

    @Override
    public void onBatchEnd(TrainContext ctx, int epoch, int batch, int batches, double loss, int samples) {
        apply(ctx.model());
    }
}
