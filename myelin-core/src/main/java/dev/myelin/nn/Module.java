package dev.myelin.nn;

import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A layer or a network of layers, as PyTorch's {@code nn.Module}: named parameters (trained),
 * buffers (state such as running averages, not trained) and child modules, registered
 * explicitly in the constructor. State-dict keys are PyTorch's: {@code child.name}, own
 * parameters first, then own buffers, then children in registration order.
 */
public abstract class Module {
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Supplier<Tensor>> derived = new LinkedHashMap<>();
    private final java.util.Set<String> integerBuffers = new java.util.HashSet<>();
    private boolean training = true;
    private boolean frozen;

    /** Applies the module. */
    public abstract Tensor forward(Tensor x);

    /** Registers a trainable parameter (marks it as requiring grad) and returns it. */
    protected final Tensor param(String name, Tensor value) {
        checkName(name);
        value.requiresGrad(true);
        params.put(name, value);
        return value;
    }

    /** Registers a buffer: state saved in the state dict but not trained. */
    protected final Tensor buffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /**
     * Registers a buffer that holds integers (PyTorch keeps it as int64, e.g. batch norm's
     * {@code num_batches_tracked}); it is a float tensor here and saved as I64.
     */
    protected final Tensor integerBuffer(String name, Tensor value) {
        integerBuffers.add(name);
        return buffer(name, value);
    }

    /** Registers a child module and returns it. */
    protected final <M extends Module> M child(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    /**
     * The value of parameter {@code name} for this forward pass: the registered tensor, or,
     * when a reparameterization such as {@link WeightNorm} replaced it, the tensor computed
     * from its own parameters now (so gradients reach those). Layers read their weights here.
     */
    protected final Tensor parameter(String name) {
        Supplier<Tensor> d = derived.get(name);
        if (d != null) {
            return d.get();
        }
        Tensor t = params.get(name);
        if (t == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter '" + name + "'");
        }
        return t;
    }

    /**
     * Replaces parameter {@code name} by a value computed at each use; returns the tensor it
     * held. The new value's own parameters are registered by whoever owns them.
     */
    final Tensor reparameterize(String name, Supplier<Tensor> value) {
        Tensor old = params.remove(name);
        if (old == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected the name of one of its parameters "
                    + params.keySet() + ", got '" + name + "'" + (derived.containsKey(name)
                    ? " (already reparameterized)" : ""));
        }
        derived.put(name, value);
        return old;
    }

    /** This module's own parameters (not its children's), in registration order. */
    final Map<String, Tensor> ownParameters() {
        return java.util.Collections.unmodifiableMap(params);
    }

    /** This module's own buffers, in registration order. */
    final Map<String, Tensor> ownBuffers() {
        return java.util.Collections.unmodifiableMap(buffers);
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".") || params.containsKey(name) || buffers.containsKey(name)
                || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name
                    + "' is empty, contains '.', or is registered twice");
        }
    }

    /**
     * Sets training (true) or evaluation (false) mode here and in every descendant; a frozen
     * module ({@link Freezing}) stays in evaluation mode.
     */
    public Module train(boolean on) {
        training = on && !frozen;
        for (Module c : children.values()) {
            c.train(on);
        }
        return this;
    }

    /** Training mode: dropout drops, batch norm uses batch statistics. */
    public Module train() {
        return train(true);
    }

    /** Evaluation mode: dropout is the identity, batch norm uses running averages. */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** True when {@link Freezing} froze this module: it runs in evaluation mode even while training. */
    public boolean isFrozen() {
        return frozen;
    }

    /** Freezes or thaws this module alone (not its children); see {@link Freezing}. */
    final void setFrozen(boolean on) {
        frozen = on;
        if (on) {
            training = false;
        }
    }

    /** Child modules in registration order. */
    public Map<String, Module> children() {
        return java.util.Collections.unmodifiableMap(children);
    }

    /**
     * Every parameter with its dotted name, depth first; a parameter shared by several places
     * (a module used twice) is listed once, under its first name, as PyTorch does.
     */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        collect("", all, false);
        Map<String, Tensor> out = new LinkedHashMap<>();
        java.util.Set<Tensor> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        all.forEach((k, t) -> {
            if (seen.add(t)) {
                out.put(k, t);
            }
        });
        return out;
    }

    /** Every parameter, each once. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The number of trainable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : parameters()) {
            n += t.numel();
        }
        return n;
    }

    /**
     * The random streams this module's own training-mode forward pass draws from (dropout masks,
     * stochastic depth's coin), by name; none by default. A module that draws overrides this.
     */
    protected Map<String, Rng> ownStreams() {
        return Map.of();
    }

    /**
     * Every random stream of this module and its descendants, with dotted names in state-dict
     * order (e.g. {@code 2.rng}). A checkpoint saves their positions ({@link Rng#state()}), so a
     * resumed run draws the same masks as one that never stopped. PyTorch has no equivalent: its
     * modules share the global generator.
     */
    public final Map<String, Rng> namedStreams() {
        Map<String, Rng> out = new LinkedHashMap<>();
        collectStreams("", out);
        return out;
    }

    private void collectStreams(String prefix, Map<String, Rng> out) {
        ownStreams().forEach((k, v) -> out.putIfAbsent(prefix + k, v));
        children.forEach((k, c) -> c.collectStreams(prefix + k + ".", out));
    }

    /**
     * The state-dict keys whose values are integers, which PyTorch stores as int64 (batch norm's
     * {@code num_batches_tracked}); checkpoint writers save them as I64.
     */
    public final java.util.Set<String> integerStateKeys() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        collectIntegers("", out);
        return out;
    }

    private void collectIntegers(String prefix, java.util.Set<String> out) {
        buffers.keySet().stream().filter(integerBuffers::contains).forEach(k -> out.add(prefix + k));
        children.forEach((k, c) -> c.collectIntegers(prefix + k + ".", out));
    }

    /** Parameters and buffers with PyTorch-style keys. The tensors are live, not copies. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean withBuffers) {
        params.forEach((k, v) -> out.putIfAbsent(prefix + k, v));
        if (withBuffers) {
            buffers.forEach((k, v) -> out.putIfAbsent(prefix + k, v));
        }
        children.forEach((k, c) -> c.collect(prefix + k + ".", out, withBuffers));
    }

    /**
     * Copies values from {@code state} into this module's parameters and buffers. With
     * {@code strict}, missing and unexpected keys are errors; shapes must always match.
     */
    public void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
                continue;
            }
            Tensor dst = e.getValue();
            if (src.numel() != dst.numel() || (src.dim() > 0 && !Arrays.equals(src.shape(), dst.shape()))) {
                throw new IllegalArgumentException("loadStateDict: '" + e.getKey() + "' expects shape "
                        + Arrays.toString(dst.shape()) + ", the state has " + Arrays.toString(src.shape()));
            }
            dst.copyFrom(src);
        }
        List<String> unexpected = new ArrayList<>();
        for (String k : state.keySet()) {
            if (!own.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new IllegalArgumentException("loadStateDict: missing keys " + missing + ", unexpected keys "
                    + unexpected + " (the model was built differently from the one that was saved)");
        }
    }

    /** A one-line description, e.g. {@code Linear(784, 256, bias=true)}. */
    @Override
    public String toString() {
        if (children.isEmpty()) {
            return getClass().getSimpleName() + "()";
        }
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append("(\n");
        children.forEach((k, c) -> sb.append("  (").append(k).append("): ")
                .append(c.toString().replace("\n", "\n  ")).append('\n'));
        return sb.append(')').toString();
    }
}
