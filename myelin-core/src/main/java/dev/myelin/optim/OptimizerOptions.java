package dev.myelin.optim;

/**
 * What every optimizer's {@code Options} record has: the initial learning rate of its group and
 * the weight-decay coefficient (coupled L2 for most optimizers, decoupled for {@link AdamW}).
 */
public interface OptimizerOptions {
    /** The learning rate the group starts with (schedules scale from it). */
    double lr();

    /** The weight-decay coefficient λ (0 switches it off). */
    double weightDecay();
}
