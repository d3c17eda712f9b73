package dev.myelin.optim.schedule;

/**
 * A learning-rate schedule: a pure function of the step (or epoch) t and the group's initial
 * learning rate η₀ (Huang, "Training Deep Neural Networks", "Learning Rate Scheduling"; Keras's
 * LearningRateSchedule shape). It holds no state, so resuming at step t gives the same rate as
 * never stopping, and every parameter group keeps its own η₀ (fine-tuning with a lower body lr).
 * {@code dev.myelin.train.LrScheduler} applies a schedule during training, per optimizer step or
 * per epoch; {@link #defaultUnit()} says which the schedule is usually counted in.
 *
 * <p>The one schedule that depends on training results, performance scheduling, is
 * {@link ReduceLrOnPlateau}; it is stateful and not an {@code LrSchedule}.
 */
public interface LrSchedule {
    /** What t counts. */
    enum Unit {
        /** Optimizer steps (mini-batches), the lecture's "iteration number". */
        STEP,
        /** Epochs. */
        EPOCH;

        /** The config spelling: {@code step} or {@code epoch}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The learning rate at t (0-based: t = 0 is the first step or epoch) for a group whose initial
     * learning rate is {@code baseLr}.
     */
    double at(double baseLr, long t);

    /** The unit t is counted in unless the user says otherwise. */
    default Unit defaultUnit() {
        return Unit.EPOCH;
    }

    /** This schedule preceded by a linear warm-up over {@code steps} (see {@link Warmup}). */
    default LrSchedule withWarmup(long steps, double startFactor) {
        return new Warmup(steps, startFactor, this);
    }

    /** Fails with a message naming the schedule and the option when {@code ok} is false. */
    static void require(boolean ok, String schedule, String option, String expected, Object got) {
        if (!ok) {
            boolean range = expected.startsWith("in ") || expected.startsWith(">") || expected.startsWith("<");
            throw new dev.myelin.options.OptionException(schedule + " schedule", option, range ? "a number " + expected : expected,
                    String.valueOf(got));
        }
    }
}
