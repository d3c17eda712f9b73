package dev.myelin.optim;

import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loop every optimizer shares (Keras's update_step shape): {@link #step()} visits each
 * parameter that has a gradient and calls {@link #update}; the subclass owns only the
 * per-parameter rule and its state. Parameters are organised in {@link ParamGroup}s, each with
 * its own hyperparameters and learning rate, as PyTorch's {@code param_groups}; parameters are
 * numbered across the groups in order (group 0's first, then group 1's, ...).
 *
 * <p>State-dict keys follow PyTorch's optimizer state_dict, flattened:
 * {@code state.<param index>.<name>} (e.g. {@code state.0.exp_avg}) and
 * {@code param_groups.<group>.lr}.
 */
public abstract class Optimizer {
    private final List<Tensor> params;
    private final int[] groupOf;
    private final List<List<Tensor>> groupParams;
    private final double[] lr;
    private final double[] initialLr;
    private final Map<Integer, Map<String, Tensor>> state = new LinkedHashMap<>();

    protected Optimizer(List<? extends ParamGroup<?>> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException(name() + ": expected at least one parameter group, got none");
        }
        List<Tensor> all = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        List<List<Tensor>> perGroup = new ArrayList<>();
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        lr = new double[groups.size()];
        initialLr = new double[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup<?> group = groups.get(g);
            checkOptions(g, group.options());
            for (Tensor p : group.params()) {
                Integer before = seen.put(p, g);
                if (before != null) {
                    throw new IllegalArgumentException(name() + ": parameter " + all.size() + " appears in group "
                            + before + " and again in group " + g + "; put each parameter in one group only");
                }
                all.add(p);
                owner.add(g);
            }
            perGroup.add(group.params());
            lr[g] = group.options().lr();
            initialLr[g] = lr[g];
        }
        this.params = List.copyOf(all);
        this.groupOf = owner.stream().mapToInt(Integer::intValue).toArray();
        this.groupParams = List.copyOf(perGroup);
    }

    private void checkOptions(int group, OptimizerOptions o) {
        if (!(o.lr() >= 0)) {
            throw new IllegalArgumentException(name() + ": expected lr >= 0 in parameter group " + group + ", got " + o.lr());
        }
        if (!(o.weightDecay() >= 0)) {
            throw new IllegalArgumentException(name() + ": expected weight_decay >= 0 in parameter group " + group
                    + ", got " + o.weightDecay());
        }
    }

    private String name() {
        return getClass().getSimpleName();
    }

    /** The number of parameter groups. */
    public int groupCount() {
        return lr.length;
    }

    /** The current learning rate of group 0 (the only one, unless groups were given). */
    public double lr() {
        return lr[0];
    }

    /** The current learning rate of a group. */
    public double lr(int group) {
        return lr[group];
    }

    /** The learning rate a group was created with (PyTorch's {@code initial_lr}); schedules scale from it. */
    public double initialLr(int group) {
        return initialLr[group];
    }

    /** Sets every group's learning rate to {@code lr}. */
    public void setLr(double lr) {
        for (int g = 0; g < this.lr.length; g++) {
            setLr(g, lr);
        }
    }

    /** Sets one group's learning rate (schedules call this). */
    public void setLr(int group, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(name() + ": expected lr >= 0 for group " + group + ", got " + value);
        }
        lr[group] = value;
    }

    /** All parameters, in the order that indexes the state. */
    public List<Tensor> params() {
        return params;
    }

    /** The parameters of one group. */
    public List<Tensor> params(int group) {
        return groupParams.get(group);
    }

    /** The group a parameter (by index) belongs to. */
    public int groupOf(int index) {
        return groupOf[index];
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
                update(i, groupOf[i], p.data(), p.grad().data());
            }
        }
    }

    /**
     * One parameter's update, in place: {@code p} the values, {@code g} the gradient; the
     * learning rate is {@link #lr(int) lr(group)}.
     */
    protected abstract void update(int index, int group, float[] p, float[] g);

    /** A per-parameter state tensor, created with zeros on first use. */
    protected final float[] state(int index, String name, int size) {
        return state.computeIfAbsent(index, k -> new LinkedHashMap<>())
                .computeIfAbsent(name, k -> Tensor.zeros(size)).data();
    }

    /** A per-parameter state tensor, created filled with {@code initial} on first use. */
    protected final float[] state(int index, String name, int size, float initial) {
        return state.computeIfAbsent(index, k -> new LinkedHashMap<>())
                .computeIfAbsent(name, k -> Tensor.full(initial, size)).data();
    }

    /** True when the parameter already has this state (e.g. a momentum buffer). */
    protected final boolean hasState(int index, String name) {
        Map<String, Tensor> s = state.get(index);
        return s != null && s.containsKey(name);
    }

    /** The optimizer's state with flattened PyTorch-style keys, plus each group's {@code lr}. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((i, m) -> m.forEach((k, v) -> out.put("state." + i + "." + k, v.copy())));
        for (int g = 0; g < lr.length; g++) {
            out.put("param_groups." + g + ".lr", Tensor.scalar((float) lr[g]));
        }
        return out;
    }

    /** Restores a state written by {@link #stateDict()} of an optimizer with the same groups. */
    public void loadStateDict(Map<String, Tensor> dict) {
        state.clear();
        for (Map.Entry<String, Tensor> e : dict.entrySet()) {
            String k = e.getKey();
            String[] parts = k.split("\\.", 3);
            if (parts.length == 3 && parts[0].equals("param_groups") && parts[2].equals("lr")) {
                loadLr(k, index(k, parts[1], lr.length, "parameter group"), e.getValue().item());
            } else if (parts.length == 3 && parts[0].equals("state")) {
                int idx = index(k, parts[1], params.size(), "parameter");
                state.computeIfAbsent(idx, x -> new LinkedHashMap<>()).put(parts[2], e.getValue().copy());
            }
        }
    }

    private void loadLr(String key, int group, float saved) {
        // The dict holds lr as float32; keep the exact double when it is the value saved.
        if ((float) lr[group] != saved) {
            lr[group] = saved;
        }
    }

    private int index(String key, String text, int count, String what) {
        int idx;
        try {
            idx = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("optimizer state '" + key + "': expected a " + what + " number, got '"
                    + text + "'");
        }
        if (idx < 0 || idx >= count) {
            throw new IllegalArgumentException("optimizer state '" + key + "' names " + what + " " + idx
                    + " but the optimizer has " + count + "; was it saved with other parameters or groups?");
        }
        return idx;
    }
}
