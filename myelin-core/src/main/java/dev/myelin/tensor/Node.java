package dev.myelin.tensor;

/**
 * One recorded operation of the define-by-run graph: which {@link Op} produced a tensor, from
 * which inputs, and the rule that maps the output's gradient to the inputs' gradients. Rules
 * are written with {@link Tensor} operations, so running them with grad mode on records a
 * graph of the backward pass itself (higher-order gradients).
 */
final class Node {
    final Op op;
    final Tensor[] inputs;
    final Backward backward;

    Node(Op op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    /** Maps dL/d(output) to dL/d(input_i); an entry may be null where an input needs none. */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }
}
