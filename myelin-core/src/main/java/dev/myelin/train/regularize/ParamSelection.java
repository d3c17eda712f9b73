package dev.myelin.train.regularize;

import dev.myelin.nn.Module;
import dev.myelin.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which parameters a penalty, a constraint or weight noise applies to.
 *
 * <p>{@link #WEIGHTS} (the default) takes the weight matrices and kernels, the parameters of
 * rank ≥ 2 whose name does not end in {@code bias}: a Linear's {@code weight} [out, in], a
 * convolution's [out, in, kh, kw]. It leaves out biases and normalization parameters (batch
 * norm's γ and β are vectors), the common practice (timm's {@code param_groups_weight_decay},
 * Keras's {@code kernel_regularizer}): penalizing a bias or a scale does not reduce capacity,
 * and shrinking batch norm's γ only changes the effective learning rate.
 *
 * <p>Frozen parameters ({@link dev.myelin.nn.Freezing}) are never selected: a frozen layer
 * gets no weight decay, no constraint and no weight noise.
 */
public enum ParamSelection {
    /** Trainable parameters of rank ≥ 2 not named {@code *bias}. */
    WEIGHTS,
    /** Every trainable parameter. */
    ALL;

    /** The selected parameters of {@code model} with their dotted names, in state-dict order. */
    public Map<String, Tensor> select(Module model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> {
            if (p.requiresGrad() && (this == ALL || (p.dim() >= 2 && !name.endsWith("bias")))) {
                out.put(name, p);
            }
        });
        return out;
    }

    /** The config spelling: {@code weights} or {@code all}. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
