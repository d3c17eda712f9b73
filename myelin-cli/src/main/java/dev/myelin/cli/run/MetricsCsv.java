package dev.myelin.cli.run;

import dev.myelin.train.Callback;
import dev.myelin.train.EpochMetrics;
import dev.myelin.train.TrainContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes {@code metrics.csv}: the header and the first row when the first epoch ends (its extra
 * columns are known then), then one row as each epoch ends.
 */
public final class MetricsCsv implements Callback {
    private final Path file;

    MetricsCsv(Path file) {
        this.file = file;
    }

    private boolean started;

    @Override
    public void onEpochEnd(TrainContext ctx, EpochMetrics m) {
        if (!started) {
            write(m.header() + "\n", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            started = true;
        }
        write(m.csvRow() + "\n", StandardOpenOption.APPEND);
    }

    private void write(String text, StandardOpenOption... options) {
        try {
            Files.writeString(file, text, options);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the metrics: " + e.getMessage(), e);
        }
    }
}
