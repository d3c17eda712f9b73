package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.report.Chart;
import dev.myelin.cli.run.RunFolder;
import dev.myelin.train.EpochMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code myelin lab batch-size}: "Deep Feedforward Networks", "Batch vs Minibatch Gradient
 * Methods": the gradient over the whole data set is replaced by the mean over a random
 * minibatch; minibatches allow a "parallel implementation", and "small minibatches &rarr; good
 * generalization properties" (Keskar et al. 2017 found large batches converging to sharp minima
 * that generalize worse).
 *
 * <p>One MLP ({@code examples/lab/batch-size/mlp.yaml}) trains at batch sizes 8 to 2048 for the
 * same epochs. The learning rate follows the square-root rule, lr = 0.05 &middot; &radic;(B/128)
 * (Krizhevsky 2014; Hoffer et al., "Train longer, generalize better", 2017), which keeps the
 * covariance of the update's noise the same: a fixed rate diverges at batch 8, and the linear
 * rule at batch 2048. For each batch size the lab measures:
 * <ul>
 *   <li>time: training samples per second, from the median epoch;
 *   <li>steps: the epochs, optimizer steps and seconds until the mean training loss of an epoch
 *       first falls to {@link #THRESHOLD};
 *   <li>generalization: the validation accuracy at that epoch, i.e. at equal training loss, and
 *       the test accuracy at the end.
 * </ul>
 */
public final class BatchSizeLab implements Experiment {
    static final double[] BATCHES = {8, 32, 128, 512, 2048};
    /** The mean training loss of an epoch at which the runs are compared. */
    static final double THRESHOLD = 0.4;
    private static final double QUICK_THRESHOLD = 2.2;
    private static final List<String> QUICK = List.of("data.train_limit=600", "data.test_limit=200", "epochs=2");

    /** What one batch size measured. */
    record Point(double batch, double samplesPerSecond, int epochsTo, long stepsTo, double secondsTo,
                 double valAccuracyAt, double testAccuracy) {
        boolean reached() {
            return epochsTo > 0;
        }
    }

    @Override
    public String name() {
        return "batch-size";
    }

    @Override
    public String description() {
        return "one MLP at batch sizes 8..2048 (lr by the square-root rule): samples/s, steps and epochs to a training"
                + " loss, and accuracy at that loss";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        Table table = new Table();
        Sweep sweep = new Sweep(name(), List.of("mlp"), "batch", BATCHES, b -> List.of("batch_size=" + (int) b,
                "optimizer.lr=" + 0.05 * Math.sqrt(b / 128)), QUICK);
        List<LabRun> runs = sweep.train(ctx, table).get("mlp");
        double threshold = ctx.quick() ? QUICK_THRESHOLD : THRESHOLD;
        List<Point> points = new ArrayList<>();
        double wobble = 0;
        for (int i = 0; i < runs.size(); i++) {
            points.add(measure(BATCHES[i], runs.get(i), threshold));
            wobble = Math.max(wobble, runs.get(i).lastValidationStep());
        }
        table.write(ctx.file(RunFolder.METRICS));
        Chart.save(ctx.file("batch-size.png"), 2, List.of(
                table.chart("training loss per epoch", "epoch", "train_loss", "mean training loss").logY(),
                table.chart("validation accuracy per epoch", "epoch", "val_accuracy", "accuracy"),
                Chart.of("throughput", "batch size", "training samples / s").logX().logY()
                        .line("mlp", BATCHES, points.stream().mapToDouble(Point::samplesPerSecond).toArray()),
                Chart.of("optimizer steps to training loss " + threshold, "batch size", "steps").logX().logY()
                        .line("mlp", BATCHES, points.stream().mapToDouble(p -> p.reached() ? p.stepsTo() : Double.NaN)
                                .toArray())));
        summarize(ctx.summary(), points, threshold, wobble);
        return ctx.verdict(judge(points, threshold, wobble));
    }

    /** The figures of one batch size's run. */
    static Point measure(double batch, LabRun r, double threshold) {
        double median = r.medianEpochSeconds();
        for (EpochMetrics m : r.history().epochs()) {
            if (m.trainLoss() <= threshold) {
                double seconds = median * m.epoch();
                return new Point(batch, r.trainSize() / median, m.epoch(), m.step(), seconds, m.valAccuracy(),
                        r.testAccuracy());
            }
        }
        return new Point(batch, r.trainSize() / median, -1, -1, Double.NaN, Double.NaN, r.testAccuracy());
    }

    private static void summarize(ObjectNode s, List<Point> points, double threshold, double wobble) {
        ObjectNode by = s.putObject("batch_sizes");
        for (Point p : points) {
            ObjectNode o = by.putObject(Sweep.format(p.batch()));
            LabContext.number(o, "samples_per_second", p.samplesPerSecond());
            o.put("epochs_to_threshold", p.reached() ? p.epochsTo() : null);
            o.put("steps_to_threshold", p.reached() ? p.stepsTo() : null);
            LabContext.number(o, "seconds_to_threshold", p.secondsTo());
            LabContext.number(o, "val_accuracy_at_threshold", p.valAccuracyAt());
            LabContext.number(o, "test_accuracy", p.testAccuracy());
        }
        s.put("threshold_train_loss", threshold);
        LabContext.number(s, "wobble", wobble);
        s.put("chart", "batch-size.png");
    }

    /**
     * The verdict on the three claims. Time: samples per second of the largest against the
     * smallest batch. Steps: the smallest and the largest batch that reached the threshold, their
     * steps and epochs. Generalization: the validation accuracy at the threshold of those two;
     * small batches generalize better when theirs is ahead by more than {@code wobble}, the most
     * any run's validation accuracy moved between its last two epochs.
     */
    static String judge(List<Point> points, double threshold, double wobble) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "batch: samples/s, epochs / steps / seconds to training loss %s, validation accuracy there, test"
                        + " accuracy at the end:", Sweep.format(threshold)));
        for (Point p : points) {
            b.append(String.format(Locale.ROOT, "%n  %5s: %,8.0f/s, %s, %s, %.3f", Sweep.format(p.batch()),
                    p.samplesPerSecond(), p.reached() ? String.format(Locale.ROOT, "%d / %d / %.1f s", p.epochsTo(),
                            p.stepsTo(), p.secondsTo()) : "not reached", p.reached() ? String.format(Locale.ROOT,
                            "%.3f", p.valAccuracyAt()) : "-", p.testAccuracy()));
        }
        Point smallest = points.get(0);
        Point largest = points.get(points.size() - 1);
        double speedUp = largest.samplesPerSecond() / smallest.samplesPerSecond();
        b.append(String.format(Locale.ROOT, "%nTime: batch %s processes %.1fx the samples per second of batch %s%s",
                Sweep.format(largest.batch()), speedUp, Sweep.format(smallest.batch()), speedUp > 1
                        ? ", as the lecture's \"parallel implementation\" has it."
                        : "; the larger batch did not use the cores better here."));
        List<Point> reached = points.stream().filter(Point::reached).toList();
        if (reached.size() < 2) {
            return b.append(String.format(Locale.ROOT, "%nSteps and generalization: fewer than two batch sizes reached"
                    + " the training loss, so the lab cannot compare them; train longer (--set epochs=...).")).toString();
        }
        Point small = reached.get(0);
        Point large = reached.get(reached.size() - 1);
        b.append(String.format(Locale.ROOT, "%nSteps: to the same training loss batch %s took %d steps in %d epochs,"
                        + " batch %s %d steps in %d epochs: %s", Sweep.format(small.batch()), small.stepsTo(),
                small.epochsTo(), Sweep.format(large.batch()), large.stepsTo(), large.epochsTo(),
                large.stepsTo() < small.stepsTo() && large.epochsTo() >= small.epochsTo()
                        ? "larger batches need fewer steps but no fewer passes over the data."
                        : "not the usual trade of fewer steps for more epochs."));
        double gap = small.valAccuracyAt() - large.valAccuracyAt();
        b.append(String.format(Locale.ROOT, "%nGeneralization: at that training loss, validation accuracy %.3f with"
                        + " batch %s against %.3f with batch %s (%+.1f points; validation accuracy moved up to %.1f"
                        + " points between a run's last two epochs). ", small.valAccuracyAt(),
                Sweep.format(small.batch()), large.valAccuracyAt(), Sweep.format(large.batch()), 100 * gap,
                100 * wobble));
        b.append(gap > wobble ? "Consistent with the lecture: the small batch generalizes better at equal fit."
                : gap < -wobble ? "The opposite of the lecture's claim in this run: the large batch generalizes better"
                + " at equal fit."
                : "The effect does not show in this run: at equal fit the batch sizes generalize alike.");
        return b.toString();
    }
}
