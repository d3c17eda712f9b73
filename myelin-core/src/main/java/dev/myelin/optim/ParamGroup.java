package dev.myelin.optim;

import dev.myelin.tensor.Tensor;
import java.util.List;

/**
 * A set of parameters with its own hyperparameters, one entry of PyTorch's
 * {@code optimizer.param_groups}. Fine-tuning gives a pretrained body a lower learning rate than
 * a new head (Huang, "Training Deep Neural Networks", transfer learning):
 * <pre>
 * new Adam(List.of(
 *     new ParamGroup&lt;&gt;(body.parameters(), Adam.Options.of(1e-4)),
 *     new ParamGroup&lt;&gt;(head.parameters(), Adam.Options.of(1e-3))));
 * </pre>
 * Every hyperparameter of the optimizer's {@code Options} may differ between groups, as in
 * PyTorch; the learning rate of each group is then changed by schedules independently.
 *
 * @param params the group's parameters (a parameter may belong to one group only)
 * @param options the group's hyperparameters, including its initial learning rate
 */
public record ParamGroup<O extends OptimizerOptions>(List<Tensor> params, O options) {
    public ParamGroup {
        if (params == null || options == null) {
            throw new IllegalArgumentException("ParamGroup: expected a parameter list and options, got "
                    + (params == null ? "no parameters" : "no options"));
        }
        params = List.copyOf(params);
    }

    /** One group holding all parameters (the common case). */
    public static <O extends OptimizerOptions> List<ParamGroup<O>> single(List<Tensor> params, O options) {
        return List.of(new ParamGroup<>(params, options));
    }
}
