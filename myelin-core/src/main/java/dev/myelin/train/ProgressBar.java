package dev.myelin.train;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Shows training progress: on a terminal, a bar redrawn in place (epoch, batch, loss,
 * samples/s, and the run's ETA: the rest of this epoch at its pace so far, plus each epoch still
 * to come at the last whole epoch's duration, validation included); otherwise (CI, files) one
 * plain line per epoch.
 *
 * <p>On a terminal every line stays below its width ({@code COLUMNS}, else 80 columns): a line of
 * exactly the width wraps on many terminals, and then each redraw of the bar starts a new line. The
 * bar shrinks first; the epoch summary drops its double spaces, then its throughput.
 */
public final class ProgressBar implements Callback {
    private static final int WIDTH = 24;
    private static final int DEFAULT_COLUMNS = 80;
    private final PrintStream out;
    private final boolean terminal;
    private final int columns;
    private long epochStart;
    private long lastDraw;
    private int samples;
    private double lossSum;
    private int seen;
    /** The last whole epoch's seconds in this process (NaN before one ends). */
    private double lastEpoch = Double.NaN;

    public ProgressBar(PrintStream out, boolean terminal) {
        this(out, terminal, DEFAULT_COLUMNS);
    }

    /** A bar for a terminal {@code columns} wide (at least 20). */
    public ProgressBar(PrintStream out, boolean terminal, int columns) {
        this.out = out;
        this.terminal = terminal;
        this.columns = Math.max(20, columns);
    }

    /** Standard output, as a bar when it is a terminal, as wide as {@code COLUMNS} says (else 80). */
    public static ProgressBar console() {
        return new ProgressBar(System.out, System.console() != null && System.getenv("CI") == null,
                columns(System.getenv("COLUMNS")));
    }

    /** The terminal width that {@code COLUMNS} gives, or 80 when it is unset or not a positive number. */
    static int columns(String env) {
        try {
            int c = env == null ? DEFAULT_COLUMNS : Integer.parseInt(env.trim());
            return c > 0 ? c : DEFAULT_COLUMNS;
        } catch (NumberFormatException e) {
            return DEFAULT_COLUMNS;
        }
    }

    @Override
    public void onEpochBegin(TrainContext ctx, int epoch) {
        epochStart = System.nanoTime();
        lastDraw = 0;
        samples = 0;
        lossSum = 0;
        seen = 0;
    }

    @Override
    public void onBatchEnd(TrainContext ctx, int epoch, int batch, int batches, double loss, int n) {
        samples += n;
        lossSum += loss * n;
        seen += n;
        long now = System.nanoTime();
        if (!terminal || (now - lastDraw < 100_000_000L && batch < batches)) {
            return;
        }
        lastDraw = now;
        double sec = (now - epochStart) / 1e9;
        double rate = samples / Math.max(1e-9, sec);
        double eta = eta(sec, batch, batches, ctx.epochs() - epoch, lastEpoch);
        String counts = String.format(Locale.ROOT, "] %d/%d loss %.4f %,.0f samples/s run ETA %s",
                batch, batches, lossSum / Math.max(1, seen), rate, time(eta));
        String head = "epoch " + epoch + "/" + ctx.epochs() + " [";
        int width = Math.max(0, Math.min(WIDTH, columns - 1 - head.length() - counts.length()));
        int filled = (int) ((long) width * batch / Math.max(1, batches));
        String line = head + "=".repeat(filled) + " ".repeat(width - filled) + counts;
        out.print("\r" + clip(line) + "\033[K");
        out.flush();
    }

    /**
     * The seconds left in the run: this epoch's remaining batches at its pace so far, then
     * {@code epochsAfter} epochs at the last whole epoch's duration {@code lastEpoch} (this
     * epoch's projected one while that is NaN: no epoch has ended yet).
     */
    static double eta(double elapsed, int batch, int batches, int epochsAfter, double lastEpoch) {
        double perBatch = elapsed / Math.max(1, batch);
        double epoch = Double.isNaN(lastEpoch) ? perBatch * batches : lastEpoch;
        return perBatch * (batches - batch) + Math.max(0, epochsAfter) * epoch;
    }

    @Override
    public void onEpochEnd(TrainContext ctx, EpochMetrics m) {
        lastEpoch = (System.nanoTime() - epochStart) / 1e9;
        if (terminal) {
            out.print("\r\033[K");
        }
        String[] parts = {"epoch " + m.epoch() + "/" + ctx.epochs(), String.format(Locale.ROOT, "loss %.4f", m.trainLoss()),
            "acc " + fmt(m.trainAccuracy()), "val_loss " + fmt(m.valLoss()), "val_acc " + fmt(m.valAccuracy()),
            String.format(Locale.ROOT, "%.1fs", m.seconds()), String.format(Locale.ROOT, "%,.0f samples/s", m.samplesPerSecond())};
        out.println(summary(parts));
        out.flush();
    }

    /** The epoch's fields with two spaces between them; on a terminal, narrowed to fit below its width. */
    String summary(String[] parts) {
        String wide = String.join("  ", parts);
        if (!terminal || wide.length() < columns) {
            return wide;
        }
        String narrow = String.join(" ", parts);
        if (narrow.length() < columns) {
            return narrow;
        }
        return clip(String.join(" ", Arrays.copyOf(parts, parts.length - 1)));
    }

    private String clip(String line) {
        return line.length() < columns ? line : line.substring(0, columns - 1);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String time(double s) {
        long t = Math.round(s);
        return t >= 60 ? (t / 60) + "m" + (t % 60) + "s" : t + "s";
    }
}
