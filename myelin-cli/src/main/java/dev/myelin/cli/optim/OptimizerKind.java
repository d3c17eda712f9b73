package dev.myelin.cli.optim;

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
import java.util.Optional;
import java.util.function.Function;

/**
 * One optimizer the config can name: its options with PyTorch's names and defaults, how they
 * become the optimizer's {@code Options} record, and how a list of parameter groups becomes the
 * optimizer. {@link #ALL} is the registry; a new optimizer is one entry.
 */
record OptimizerKind(String name, List<Opt> options, Function<OptValues, OptimizerOptions> toOptions,
                     Function<List<ParamGroup<OptimizerOptions>>, Optimizer> create) {

    static final List<OptimizerKind> ALL = List.of(
            new OptimizerKind("sgd", List.of(Opt.positive("lr", null), Opt.nonNegative("momentum", 0),
                    Opt.nonNegative("dampening", 0), Opt.nonNegative("weight_decay", 0), Opt.bool("nesterov", false)),
                    v -> new Sgd.Options(v.number("lr"), v.number("momentum"), v.number("dampening"),
                            v.number("weight_decay"), v.bool("nesterov")),
                    g -> new Sgd(cast(g))),
            new OptimizerKind("adam", adamOptions(0), v -> adam(v), g -> new Adam(cast(g))),
            new OptimizerKind("adamw", adamOptions(0.01), v -> adam(v), g -> new AdamW(cast(g))),
            new OptimizerKind("nadam", List.of(Opt.positive("lr", 2e-3), Opt.betas("betas", 0.9, 0.999),
                    Opt.nonNegative("eps", 1e-8), Opt.nonNegative("weight_decay", 0),
                    Opt.nonNegative("momentum_decay", 4e-3)),
                    v -> new NAdam.Options(v.number("lr"), v.pair("betas", 0), v.pair("betas", 1), v.number("eps"),
                            v.number("weight_decay"), v.number("momentum_decay")),
                    g -> new NAdam(cast(g))),
            new OptimizerKind("adagrad", List.of(Opt.positive("lr", 1e-2), Opt.nonNegative("lr_decay", 0),
                    Opt.nonNegative("weight_decay", 0), Opt.nonNegative("initial_accumulator_value", 0),
                    Opt.nonNegative("eps", 1e-10)),
                    v -> new Adagrad.Options(v.number("lr"), v.number("lr_decay"), v.number("weight_decay"),
                            v.number("initial_accumulator_value"), v.number("eps")),
                    g -> new Adagrad(cast(g))),
            new OptimizerKind("adadelta", List.of(Opt.positive("lr", 1.0), Opt.fraction("rho", 0.9),
                    Opt.nonNegative("eps", 1e-6), Opt.nonNegative("weight_decay", 0)),
                    v -> new Adadelta.Options(v.number("lr"), v.number("rho"), v.number("eps"), v.number("weight_decay")),
                    g -> new Adadelta(cast(g))),
            new OptimizerKind("rmsprop", List.of(Opt.positive("lr", 1e-2), Opt.fraction("alpha", 0.99),
                    Opt.nonNegative("eps", 1e-8), Opt.nonNegative("weight_decay", 0), Opt.nonNegative("momentum", 0),
                    Opt.bool("centered", false)),
                    v -> new RmsProp.Options(v.number("lr"), v.number("alpha"), v.number("eps"), v.number("weight_decay"),
                            v.number("momentum"), v.bool("centered")),
                    g -> new RmsProp(cast(g))));

    static List<String> names() {
        return ALL.stream().map(OptimizerKind::name).toList();
    }

    static Optional<OptimizerKind> find(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    private static List<Opt> adamOptions(double weightDecay) {
        return List.of(Opt.positive("lr", 1e-3), Opt.betas("betas", 0.9, 0.999), Opt.nonNegative("eps", 1e-8),
                Opt.nonNegative("weight_decay", weightDecay), Opt.bool("amsgrad", false));
    }

    private static Adam.Options adam(OptValues v) {
        return new Adam.Options(v.number("lr"), v.pair("betas", 0), v.pair("betas", 1), v.number("eps"),
                v.number("weight_decay"), v.bool("amsgrad"));
    }

    /** The groups typed for one optimizer; the table pairs each optimizer with its own options. */
    @SuppressWarnings("unchecked")
    private static <O extends OptimizerOptions> List<ParamGroup<O>> cast(List<ParamGroup<OptimizerOptions>> groups) {
        return (List<ParamGroup<O>>) (List<?>) groups;
    }
}
