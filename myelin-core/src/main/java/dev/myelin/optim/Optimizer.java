package dev.myelin.optim;

import dev.myelin.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loop every optimizer shares (Keras's update_step shape): {@link #step()} visits each
 * parameter that has a gradient and calls {@link #update}; the subclass owns only the
 * per-parameter rule and its state. State-dict keys follow PyTorch's optimizer state_dict,
 * flattened: {@code state.<param index>.<name>} (e.g. {@code state.0.exp_avg}).
 */
public abstract class Optimizer {
    protected final List<Tensor> params;
    private double lr;
    private final Map<Integer, Map<String, Tensor>> state = new LinkedHashMap<>();

    protected Optimizer(List<Tensor> params, double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected lr >= 0, got " + lr);
        }
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** The current learning rate. */
    public double lr() {
        return lr;
    }

    /** Sets the learning rate (schedules call this). */
    public void setLr(double lr) {
        this.lr = lr;
    }

    /** The parameters, in the order that indexes the state. */
    public List<Tensor> params() {
        return params;
    }

    /** Clears every parameter's gradient (PyTorch's zero_grad(set_to_none=True)). */
    public void zeroGrad() {
        for (Tensor p : params) {
            p.setGrad(null);
        }
    }

    /** Applies one update to every parameter that has a gradient. */
    public void step() {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p.grad() != null) {
                update(i, p.data(), p.grad().data());
            }
        }
    }

    /** One parameter's update, in place: {@code p} the values, {@code g} the gradient. */
    protected abstract void update(int index, float[] p, float[] g);

    /** A per-parameter state tensor, created with zeros on first use. */
    protected final float[] state(int index, String name, int size) {
        return state.computeIfAbsent(index, k -> new LinkedHashMap<>())
                .computeIfAbsent(name, k -> Tensor.zeros(size)).data();
    }

    /** True when the parameter already has this state (e.g. a momentum buffer). */
    protected final boolean hasState(int index, String name) {
        Map<String, Tensor> s = state.get(index);
        return s != null && s.containsKey(name);
    }

    /** The optimizer's state with flattened PyTorch-style keys, plus {@code lr}. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((i, m) -> m.forEach((k, v) -> out.put("state." + i + "." + k, v.copy())));
        out.put("param_groups.0.lr", Tensor.scalar((float) lr));
        return out;
    }

    /** Restores a state written by {@link #stateDict()}. */
    public void loadStateDict(Map<String, Tensor> dict) {
        state.clear();
        for (Map.Entry<String, Tensor> e : dict.entrySet()) {
            String k = e.getKey();
            if (k.equals("param_groups.0.lr")) {
                // The dict holds lr as float32; keep the exact double when it is the value saved.
                float saved = e.getValue().item();
                if ((float) lr != saved) {
                    lr = saved;
                }
            } else if (k.startsWith("state.")) {
                String[] parts = k.split("\\.", 3);
                int idx = Integer.parseInt(parts[1]);
                if (idx < 0 || idx >= params.size()) {
                    throw new IllegalArgumentException("optimizer state '" + k + "' names parameter " + idx
                            + " but the optimizer has " + params.size());
                }
                state.computeIfAbsent(idx, x -> new LinkedHashMap<>()).put(parts[2], e.getValue().copy());
            }
        }
    }
}
