package dev.myelin.train;

import dev.myelin.optim.GradClipping;
import dev.myelin.optim.GradNorms;
import dev.myelin.optim.NonFiniteGradientException;
import dev.myelin.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Gradient clipping during {@link Trainer#fit}, between the backward pass and the optimizer step
 * ({@link Callback#onBeforeStep}), and the gradient norm in metrics.csv: {@code grad_norm_mean}
 * and {@code grad_norm_max} are the mean and the largest global L2 norm of the epoch's
 * gradients <em>before</em> clipping. With no rule it only records the norms.
 *
 * <p>A clipping rule that reports non-finite gradients throws {@link NonFiniteGradientException};
 * the trainer then stops before the step, and this class rewrites the message to name the
 * parameter as the model's state dict does (e.g. {@code 3.weight}).
 */
public final class GradientClipper implements Callback, Stateful {
    private final GradClipping rule;
    private double sum;
    private double max;
    private int count;

    /** @param rule the clipping rule, or null to record the gradient norm only */
    public GradientClipper(GradClipping rule) {
        this.rule = rule;
    }

    public GradClipping rule() {
        return rule;
    }

    @Override
    public void onEpochBegin(TrainContext ctx, int epoch) {
        sum = 0;
        max = 0;
        count = 0;
    }

    @Override
    public void onBeforeStep(TrainContext ctx) {
        List<Tensor> params = ctx.optimizer().params();
        double norm;
        try {
            norm = rule == null ? GradNorms.totalNorm(params, 2) : rule.apply(params);
        } catch (NonFiniteGradientException e) {
            throw named(ctx, params, e);
        }
        sum += norm;
        max = Double.isNaN(norm) || norm > max ? norm : max;
        count++;
    }

    private static NonFiniteGradientException named(TrainContext ctx, List<Tensor> params, NonFiniteGradientException e) {
        if (e.parameter() < 0) {
            return e;
        }
        Tensor bad = params.get(e.parameter());
        for (Map.Entry<String, Tensor> p : ctx.model().namedParameters().entrySet()) {
            if (p.getValue() == bad) {
                return e.withParameterName(p.getKey());
            }
        }
        return e;
    }

    @Override
    public void collectMetrics(TrainContext ctx, int epoch, Map<String, Double> into) {
        into.put("grad_norm_mean", count == 0 ? Double.NaN : sum / count);
        into.put("grad_norm_max", count == 0 ? Double.NaN : max);
    }

    @Override
    public String stateName() {
        return "clip";
    }

    @Override
    public void saveState(TrainState into) {
        into.put("norm_sum", sum).put("norm_max", max).put("count", count);
    }

    @Override
    public void loadState(TrainState from) {
        sum = from.getDouble("norm_sum");
        max = from.getDouble("norm_max");
        count = from.getInt("count");
    }
}
