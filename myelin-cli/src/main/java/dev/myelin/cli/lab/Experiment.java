package dev.myelin.cli.lab;

/**
 * One experiment from the lectures, run by {@code myelin lab NAME}: it trains what it needs,
 * writes {@code metrics.csv}, its chart(s) and its figures into {@link LabContext#summary()},
 * and returns a short verdict that compares what it measured with what the lecture claims.
 * A new experiment is one class and one line in {@link Labs}.
 */
public interface Experiment {
    /** The name on the command line, e.g. {@code bn-disc}. */
    String name();

    /**
     * Whether {@code --set KEY=VALUE} applies: true for a lab that trains run configs (the
     * overrides reach it as {@link LabContext#overrides()}), false for a program with no run to
     * configure, whose {@code --set} is refused.
     */
    default boolean takesSets() {
        return true;
    }

    /** One line for {@code myelin lab --list}. */
    String description();

    /**
     * Runs the experiment. In {@linkplain LabContext#quick() quick} mode it must finish in a few
     * seconds (tests use it); the default mode should take a few minutes at most on two cores.
     *
     * @return the verdict, a few lines: what was measured, and whether it shows the lecture's claim
     */
    String run(LabContext ctx) throws Exception;
}
