package dev.myelin.cli.report;

import dev.myelin.train.Callback;
import dev.myelin.train.TrainContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.style.Styler;

/**
 * A run folder draws itself: {@code report.html} ({@link ReportPage}) after every epoch, so a
 * running job can be watched by reloading the page, and {@code curves.png} (loss, accuracy and
 * learning rate against the epoch) when the run ends. Both are read back from the folder
 * ({@code metrics.csv}, {@code summary.json}, {@code config.yaml}), so a resumed run's report
 * holds the epochs before the resume too.
 */
public final class RunReport implements Callback {
    /** The curves' file name. */
    public static final String CURVES = "curves.png";

    private final Path dir;

    /** Rewrites {@code dir}'s report after every epoch. */
    public RunReport(Path dir) {
        this.dir = dir;
    }

    /** After the epoch's other hooks, so that metrics.csv holds the epoch's row. */
    @Override
    public void onSnapshotPoint(TrainContext ctx, boolean epochEnd) {
        if (epochEnd) {
            try {
                writePage(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(dir.resolve(ReportPage.FILE) + ": cannot write the report: "
                        + e.getMessage(), e);
            }
        }
    }

    /** Writes {@code dir}'s report.html. */
    public static void writePage(Path dir) throws IOException {
        writePage(dir, RunRecord.read(dir));
    }

    private static void writePage(Path dir, RunRecord r) throws IOException {
        ReportPage.write(dir.resolve(ReportPage.FILE), r.summary().path("name").asText(r.name()), List.of(r), null);
    }

    /**
     * Writes {@code dir}'s report.html and curves.png; the curves are skipped (and listed by
     * {@link Chart#takeUndrawn()}) where Java's graphics cannot draw.
     */
    public static void write(Path dir) throws IOException {
        RunRecord r = RunRecord.read(dir);
        writePage(dir, r);
        Chart.save(dir.resolve(CURVES), 3, curves(r));
    }

    /** The panels of curves.png: loss, accuracy (when there is one) and learning rate. */
    static List<Chart> curves(RunRecord r) {
        double[] epoch = r.column("epoch");
        List<Chart> panels = new ArrayList<>();
        panels.add(pair(Chart.of("Loss", "epoch", "loss"), epoch, r.column("train_loss"), r.column("val_loss")));
        if (IntStream.range(0, r.column("train_accuracy").length)
                .anyMatch(i -> Double.isFinite(r.column("train_accuracy")[i]))) {
            panels.add(pair(Chart.of("Accuracy", "epoch", "accuracy"), epoch, r.column("train_accuracy"),
                    r.column("val_accuracy")));
        }
        panels.add(Chart.of("Learning rate", "epoch", "lr").logY().legend(Styler.LegendPosition.OutsideS)
                .line("lr", epoch, r.column("lr")));
        return panels;
    }

    private static Chart pair(Chart c, double[] epoch, double[] train, double[] val) {
        c.legend(Styler.LegendPosition.OutsideS).line("train", epoch, train);
        if (java.util.Arrays.stream(val).anyMatch(Double::isFinite)) {
            c.line("validation", epoch, val);
        }
        return c;
    }
}
