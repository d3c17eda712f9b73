package dev.myelin.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes {@code metrics.csv}: the header and the first row when the first epoch ends (its extra
 * columns are known then), then one row as each epoch ends. A resumed run keeps the header and
 * the rows of the epochs its checkpoint completed, and drops any later row (an epoch the killed
 * process finished after its last checkpoint, which the resumed run trains again).
 */
public final class MetricsCsv implements Callback {
    private final Path file;
    private boolean started;

    /** A new file when the first epoch ends. */
    public MetricsCsv(Path file) {
        this(file, 0);
    }

    /**
     * Continues {@code file} after its first {@code keepEpochs} rows (0: a new file), for a run
     * resumed from a checkpoint that completed {@code keepEpochs} epochs.
     */
    public MetricsCsv(Path file, int keepEpochs) {
        this.file = file;
        if (keepEpochs > 0) {
            try {
                List<String> lines = Files.readAllLines(file);
                Files.writeString(file, String.join("\n", lines.subList(0, Math.min(lines.size(), keepEpochs + 1))) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot read the metrics to continue them: " + e.getMessage(), e);
            }
            started = true;
        }
    }

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
