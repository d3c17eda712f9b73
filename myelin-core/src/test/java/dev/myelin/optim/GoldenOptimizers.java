package dev.myelin.optim;

import dev.myelin.io.Golden;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Builds the Myelin optimizer a golden case names (torch.optim class + its options). */
final class GoldenOptimizers {
    private GoldenOptimizers() {
    }

    /** The options record of {@code cls} from the golden "options" object. */
    static OptimizerOptions options(String cls, Golden o) {
        double lr = o.get("lr").asDouble();
        double wd = o.get("weight_decay").asDouble();
        return switch (cls) {
            case "SGD" -> new Sgd.Options(lr, o.get("momentum").asDouble(), o.get("dampening").asDouble(), wd,
                    o.get("nesterov").asBoolean());
            case "Adam", "AdamW" -> new Adam.Options(lr, o.get("betas").get(0).asDouble(),
                    o.get("betas").get(1).asDouble(), o.get("eps").asDouble(), wd, o.get("amsgrad").asBoolean());
            case "Adagrad" -> new Adagrad.Options(lr, o.get("lr_decay").asDouble(), wd,
                    o.get("initial_accumulator_value").asDouble(), o.get("eps").asDouble());
            case "Adadelta" -> new Adadelta.Options(lr, o.get("rho").asDouble(), o.get("eps").asDouble(), wd);
            case "RMSprop" -> new RmsProp.Options(lr, o.get("alpha").asDouble(), o.get("eps").asDouble(), wd,
                    o.get("momentum").asDouble(), o.get("centered").asBoolean());
            case "NAdam" -> new NAdam.Options(lr, o.get("betas").get(0).asDouble(), o.get("betas").get(1).asDouble(),
                    o.get("eps").asDouble(), wd, o.get("momentum_decay").asDouble());
            default -> throw new IllegalArgumentException("unknown optimizer in golden file: " + cls);
        };
    }

    /** One group per entry of {@code params}, each with its options. */
    @SuppressWarnings("unchecked")
    static Optimizer create(String cls, List<List<Tensor>> params, List<OptimizerOptions> options) {
        List<ParamGroup<OptimizerOptions>> groups = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            groups.add(new ParamGroup<>(params.get(i), options.get(i)));
        }
        List<?> g = groups;
        return switch (cls) {
            case "SGD" -> new Sgd((List<ParamGroup<Sgd.Options>>) g);
            case "Adam" -> new Adam((List<ParamGroup<Adam.Options>>) g);
            case "AdamW" -> new AdamW((List<ParamGroup<Adam.Options>>) g);
            case "Adagrad" -> new Adagrad((List<ParamGroup<Adagrad.Options>>) g);
            case "Adadelta" -> new Adadelta((List<ParamGroup<Adadelta.Options>>) g);
            case "RMSprop" -> new RmsProp((List<ParamGroup<RmsProp.Options>>) g);
            case "NAdam" -> new NAdam((List<ParamGroup<NAdam.Options>>) g);
            default -> throw new IllegalArgumentException("unknown optimizer in golden file: " + cls);
        };
    }

    /** A single-group optimizer over {@code params}. */
    static Optimizer create(String cls, Golden options, List<Tensor> params) {
        return create(cls, List.of(params), List.of(options(cls, options)));
    }
}
