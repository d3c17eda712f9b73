package dev.myelin.tensor;

import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.Set;

/** The ops recorded in the graph that produced a tensor (test helper). */
final class GraphOps {
    private GraphOps() {
    }

    static Set<Op> of(Tensor y) {
        Set<Op> ops = EnumSet.noneOf(Op.class);
        IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Tensor> todo = new ArrayDeque<>();
        todo.push(y);
        while (!todo.isEmpty()) {
            Tensor t = todo.pop();
            if (t.gradFn == null || seen.put(t, Boolean.TRUE) != null) {
                continue;
            }
            ops.add(t.gradFn.op);
            for (Tensor in : t.gradFn.inputs) {
                if (in != null) {
                    todo.push(in);
                }
            }
        }
        return ops;
    }
}
