package dev.myelin.cli.lab;

import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.run.ModelTraining;
import dev.myelin.data.Preprocessing;
import dev.myelin.train.Callback;
import dev.myelin.train.EpochMetrics;
import dev.myelin.train.Evaluation;
import dev.myelin.train.History;
import java.util.List;

/**
 * One finished run of a {@link ConfigLab}: its resolved config, the input transforms fitted on
 * its training data (not the data itself, which is let go after training), the number of
 * training samples, what training gave, the loss of every step, and the lab's measurements
 * ({@link ConfigLab.Metric}) as they ended.
 */
public record LabRun(String name, RunConfig config, Preprocessing preprocessing, int trainSize,
                     ModelTraining.Result result, double[] stepLosses, List<Callback> metrics) {
    public LabRun {
        metrics = List.copyOf(metrics);
    }

    /** The run's measurement of type {@code type}. */
    public <T extends Callback> T metric(Class<T> type) {
        return metrics.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("run " + name + " has no " + type.getSimpleName()));
    }

    public History history() {
        return result.history();
    }

    /** The test figures of the kept model, or null when the loss diverged in epoch 1. */
    public Evaluation test() {
        return result.test();
    }

    /** The test accuracy, NaN when there is none. */
    public double testAccuracy() {
        return test() == null ? Double.NaN : test().accuracy();
    }

    /** The last epoch, or null when none completed. */
    public EpochMetrics last() {
        return history().last();
    }

    /** The last epoch's mean training loss; NaN when the run diverged in its first epoch. */
    public double finalTrainLoss() {
        return last() == null ? Double.NaN : last().trainLoss();
    }

    /**
     * How much validation accuracy moved between the run's last two epochs (0 with fewer than
     * two): the labs' yardstick for a difference too small to rank.
     */
    public double lastValidationStep() {
        List<EpochMetrics> e = history().epochs();
        int n = e.size();
        return n < 2 ? 0 : Math.abs(e.get(n - 1).valAccuracy() - e.get(n - 2).valAccuracy());
    }

    /**
     * What one epoch costs: the median of the epochs' seconds (the mean also carries the JIT's
     * warm-up and load spikes); NaN with no epoch.
     */
    public double medianEpochSeconds() {
        List<EpochMetrics> e = history().epochs();
        return e.stream().mapToDouble(EpochMetrics::seconds).sorted()
                .skip((e.size() - 1) / 2).limit(2 - e.size() % 2).average().orElse(Double.NaN);
    }

    /** The run named {@code name} of {@code runs}. */
    public static LabRun named(List<LabRun> runs, String name) {
        return runs.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no run named " + name));
    }
}
