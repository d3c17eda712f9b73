package dev.myelin.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode automatic differentiation over the recorded graph (define-by-run, as in
 * PyTorch's autograd). The graph is walked once in reverse topological order; a tensor used
 * several times receives the sum of its gradients (micrograd's {@code +=}).
 *
 * <p>With {@code createGraph}, the backward rules run with grad mode on, so the gradients are
 * themselves differentiable: a Hessian-vector product is {@code grad(grad(L, w)·v, w)}
 * (Pearlmutter 1994).
 */
public final class Autograd {
    private Autograd() {
    }

    /**
     * Accumulates dL/dleaf into {@code leaf.grad()} for every leaf that requires grad, where L
     * is {@code root} weighted by {@code gradRoot} (ones for a scalar root).
     */
    public static void backward(Tensor root, Tensor gradRoot, boolean createGraph) {
        Map<Tensor, Tensor> grads = run(root, gradRoot, createGraph, null);
        IdentityHashMap<float[], Boolean> handedOut = new IdentityHashMap<>();
        if (gradRoot != null) {
            handedOut.put(gradRoot.data, Boolean.TRUE); // the caller owns gradRoot
        }
        for (Map.Entry<Tensor, Tensor> e : grads.entrySet()) {
            Tensor leaf = e.getKey();
            if (leaf.gradFn == null && leaf.requiresGrad()) {
                Tensor g = e.getValue();
                // a leaf keeps a fresh gradient as its .grad; storage shared with another leaf or the caller is copied
                boolean shared = handedOut.put(g.data, Boolean.TRUE) != null;
                leaf.accumulateGrad(createGraph ? g : shared ? g.copy() : g.detach());
            }
        }
    }

    /**
     * Returns dL/d(input) for each input without touching {@code .grad()} (PyTorch's
     * {@code torch.autograd.grad}); an input L does not depend on gets zeros.
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, Tensor gradOutput, boolean createGraph) {
        IdentityHashMap<Tensor, Boolean> wanted = new IdentityHashMap<>();
        for (Tensor t : inputs) {
            wanted.put(t, Boolean.TRUE);
        }
        Map<Tensor, Tensor> grads = run(output, gradOutput, createGraph, wanted);
        List<Tensor> out = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            Tensor g = grads.get(t);
            out.add(g != null ? g : Tensor.zeros(t.shape));
        }
        return out;
    }

    private static Map<Tensor, Tensor> run(Tensor root, Tensor gradRoot, boolean createGraph,
                                           IdentityHashMap<Tensor, Boolean> wanted) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor does not require grad and has no graph; "
                    + "did you compute it under GradMode.noGrad() or from tensors without requiresGrad?");
        }
        if (gradRoot == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("backward: a gradient argument is needed for a non-scalar "
                        + "output of shape " + Shapes.str(root.shape));
            }
            gradRoot = Tensor.ones(root.shape);
        }
        List<Tensor> order = topologicalOrder(root);
        IdentityHashMap<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, gradRoot);
        Recycler recycler = createGraph ? null : new Recycler(gradRoot);
        try (GradMode.Scope scope = createGraph ? GradMode.enableGrad() : GradMode.noGrad()) {
            for (Tensor t : order) {
                Tensor g = grads.get(t);
                if (g == null || t.gradFn == null) {
                    continue;
                }
                Node node = t.gradFn;
                Tensor[] inGrads = node.backward.apply(g);
                for (int i = 0; i < node.inputs.length; i++) {
                    Tensor in = node.inputs[i];
                    Tensor gi = inGrads[i];
                    if (gi == null) {
                        continue;
                    }
                    if (!in.requiresGrad()) {
                        if (recycler != null) {
                            recycler.unused(gi);
                        }
                        continue;
                    }
                    Tensor prev = grads.get(in);
                    Tensor sum = prev == null ? gi : prev.add(gi);
                    grads.put(in, sum);
                    if (recycler != null) {
                        recycler.replaced(prev, sum, gi);
                    }
                }
                if (!createGraph && (wanted == null || !wanted.containsKey(t))) {
                    grads.remove(t); // free intermediate gradients early
                    recycler.removed(g);
                }
                if (recycler != null) {
                    recycler.releaseDead();
                }
            }
        }
        return grads;
    }

    /**
     * Hands the gradients a backward pass no longer refers to back to the {@link StoragePool}:
     * a gradient is dead once no entry of the gradient map holds it, which for an intermediate
     * tensor is after its own rule has run (PyTorch frees them then too). Counting the entries
     * matters because a rule may return its incoming gradient as an input's (addition does).
     */
    private static final class Recycler {
        private final IdentityHashMap<Tensor, int[]> entries = new IdentityHashMap<>();
        private final IdentityHashMap<Tensor, Boolean> candidates = new IdentityHashMap<>();
        private final Tensor pinned;

        Recycler(Tensor root) {
            this.pinned = root; // the caller's (or a scalar): never recycled
            StoragePool.beginBackward();
            entries.put(root, new int[] {1});
        }

        void unused(Tensor g) {
            candidates.put(g, Boolean.TRUE);
        }

        void replaced(Tensor prev, Tensor now, Tensor part) {
            entries.computeIfAbsent(now, k -> new int[1])[0]++;
            if (prev != null) {
                removed(prev);
                candidates.put(part, Boolean.TRUE);
            }
        }

        void removed(Tensor g) {
            int[] n = entries.get(g);
            if (n != null && --n[0] <= 0) {
                entries.remove(g);
            }
            candidates.put(g, Boolean.TRUE);
        }

        void releaseDead() {
            for (Tensor g : candidates.keySet()) {
                if (g != pinned && !entries.containsKey(g)) {
                    StoragePool.releaseGradient(g);
                }
            }
            candidates.clear();
        }
    }

    /** Nodes reachable from root, each after every node that consumes it (iterative DFS). */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> post = new ArrayList<>();
        IdentityHashMap<Tensor, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.gradFn == null ? new Tensor[0] : t.gradFn.inputs;
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad() && visited.put(in, Boolean.TRUE) == null) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                post.add(t);
            }
        }
        java.util.Collections.reverse(post);
        return post;
    }
}
