package dev.myelin.tensor;

import java.util.EnumSet;
import java.util.Set;

/**
 * Every differentiable op of the engine; each recorded graph node names one. Two kinds:
 * <ul>
 * <li>{@link Kind#PRIMITIVE}: an op with its own backward rule that nothing smaller composes
 * (tinygrad's primitives: arithmetic, exp/log/tanh/erf, reductions, matmul, shape and
 * indexing ops, convolution and pooling with their gradients).
 * <li>{@link Kind#FUSED}: one kernel (and one fused backward) for a function that primitives
 * also compose; the fused form is the fast path used in training, and {@link Composed} holds
 * each one's composed reference, the specification it is tested against.
 * </ul>
 * The gradient-check test walks every op; the fused-op test walks every fused op and compares
 * it with its composed reference, forward and backward.
 */
public enum Op {
    ADD, SUB, MUL, DIV, NEG, ADD_SCALAR, MUL_SCALAR, EXP, LOG, POW, SQRT, ABS, MAXIMUM, MINIMUM, WHERE,
    TANH, ERF,
    SUM, MAX, BROADCAST,
    MATMUL,
    RESHAPE, PERMUTE, CONCAT, SLICE, EMBED, INDEX_SELECT, INDEX_ADD, GATHER, SCATTER,
    CONV2D, CONV2D_GRAD_INPUT, CONV2D_GRAD_WEIGHT, MAX_POOL2D, AVG_POOL2D, AVG_POOL2D_GRAD,

    /** {@link Composed#relu}. */
    RELU(Kind.FUSED),
    /** {@link Composed#leakyRelu}. */
    LEAKY_RELU(Kind.FUSED),
    /** {@link Composed#elu}. */
    ELU(Kind.FUSED),
    /** {@link Composed#gelu}. */
    GELU(Kind.FUSED),
    /** {@link Composed#sigmoid}. */
    SIGMOID(Kind.FUSED),
    /** {@link Composed#softplus}. */
    SOFTPLUS(Kind.FUSED),
    /** {@link Composed#logSoftmax}. */
    LOG_SOFTMAX(Kind.FUSED),
    /** {@link Composed#softmax}. */
    SOFTMAX(Kind.FUSED),
    /** {@link Composed#linear}. */
    LINEAR(Kind.FUSED),
    /** {@link Composed#batchNorm}. */
    BATCH_NORM(Kind.FUSED);

    /** Whether an op is a primitive or a fused form of primitives. */
    public enum Kind { PRIMITIVE, FUSED }

    private final Kind kind;

    Op() {
        this(Kind.PRIMITIVE);
    }

    Op(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isFused() {
        return kind == Kind.FUSED;
    }

    /** The ops of one kind. */
    public static Set<Op> ofKind(Kind kind) {
        Set<Op> ops = EnumSet.noneOf(Op.class);
        for (Op op : values()) {
            if (op.kind == kind) {
                ops.add(op);
            }
        }
        return ops;
    }
}
