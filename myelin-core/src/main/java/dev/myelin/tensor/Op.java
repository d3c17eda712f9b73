package dev.myelin.tensor;

/**
 * Every differentiable primitive of the engine. Each recorded graph node names one; the
 * gradient-check test suite walks this list and fails when an op has no check.
 */
public enum Op {
    ADD, SUB, MUL, DIV, NEG, ADD_SCALAR, MUL_SCALAR, EXP, LOG, POW, SQRT, ABS, MAXIMUM, MINIMUM, WHERE,
    RELU, SIGMOID, TANH, SOFTPLUS, LEAKY_RELU, ELU, GELU, ERF,
    SUM, MAX, BROADCAST,
    MATMUL, LINEAR,
    RESHAPE, PERMUTE, CONCAT, SLICE, EMBED, INDEX_SELECT, INDEX_ADD, GATHER, SCATTER,
    LOG_SOFTMAX, SOFTMAX,
    BATCH_NORM,
    SHAKE_SHAKE,
    CONV2D, CONV2D_GRAD_INPUT, CONV2D_GRAD_WEIGHT, MAX_POOL2D, AVG_POOL2D, AVG_POOL2D_GRAD
}
