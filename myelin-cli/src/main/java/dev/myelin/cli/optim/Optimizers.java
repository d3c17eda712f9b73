package dev.myelin.cli.optim;

import dev.myelin.model.bind.Registry;
import dev.myelin.optim.Adadelta;
import dev.myelin.optim.Adagrad;
import dev.myelin.optim.Adam;
import dev.myelin.optim.AdamW;
import dev.myelin.optim.NAdam;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.OptimizerOptions;
import dev.myelin.optim.ParamGroup;
import dev.myelin.optim.RmsProp;
import dev.myelin.optim.Sgd;
import java.util.List;

/**
 * The optimizers a config can name: each is the core's {@code Options} record (its keys,
 * defaults and checks) and the constructor that takes the parameter groups. A new optimizer is
 * one core class and one line here.
 */
public final class Optimizers {
    /** Builds an optimizer over groups whose options the config's entry typed. */
    public static final Registry<List<ParamGroup<OptimizerOptions>>, Optimizer> ALL =
            new Registry<List<ParamGroup<OptimizerOptions>>, Optimizer>("an optimizer")
                    .add("sgd", Sgd.Options.class, (o, g) -> new Sgd(cast(g)))
                    .add("adam", Adam.Options.class, (o, g) -> new Adam(cast(g)))
                    .add("adamw", Adam.Options.class, AdamW::defaults, (o, g) -> new AdamW(cast(g)))
                    .add("nadam", NAdam.Options.class, (o, g) -> new NAdam(cast(g)))
                    .add("adagrad", Adagrad.Options.class, (o, g) -> new Adagrad(cast(g)))
                    .add("adadelta", Adadelta.Options.class, (o, g) -> new Adadelta(cast(g)))
                    .add("rmsprop", RmsProp.Options.class, (o, g) -> new RmsProp(cast(g)));

    private Optimizers() {
    }

    /** The groups typed for one optimizer: the registry pairs each optimizer with its own options. */
    @SuppressWarnings("unchecked")
    private static <O extends OptimizerOptions> List<ParamGroup<O>> cast(List<ParamGroup<OptimizerOptions>> groups) {
        return (List<ParamGroup<O>>) (List<?>) groups;
    }
}
