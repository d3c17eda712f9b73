package dev.myelin.optim;

import java.util.List;

/**
 * An optimizer whose parameter groups carry hyperparameters of one {@code Options} type
 * {@code O}; the subclass reads a group's with {@link #options(int)} in its {@link #update}.
 */
public abstract class TypedOptimizer<O extends OptimizerOptions> extends Optimizer {
    private final List<O> options;

    protected TypedOptimizer(List<ParamGroup<O>> groups) {
        super(groups);
        this.options = groups.stream().map(ParamGroup::options).toList();
    }

    /** The hyperparameters of group 0 (the only one, unless groups were given). */
    public O options() {
        return options.get(0);
    }

    /** The hyperparameters of one group. */
    public O options(int group) {
        return options.get(group);
    }
}
