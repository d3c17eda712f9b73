package dev.myelin.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows training progress: on a terminal, a bar redrawn in place (epoch, batch, loss,
 * samples/s, ETA); otherwise (CI, files) one plain line per epoch.
 */
public final class ProgressBar implements Callback {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final boolean terminal;
    private long epochStart;
    private long lastDraw;
    private int samples;
    private double lossSum;
    private int seen;

    public ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Standard output, as a bar when it is a terminal. */
    public static ProgressBar console() {
        return new ProgressBar(System.out, System.console() != null && System.getenv("CI") == null);
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
        double eta = sec / batch * (batches - batch);
        int filled = (int) ((long) WIDTH * batch / Math.max(1, batches));
        out.printf(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d loss %.4f %,.0f samples/s ETA %s ",
                epoch, ctx.epochs(), "=".repeat(filled), " ".repeat(WIDTH - filled), batch, batches,
                lossSum / Math.max(1, seen), rate, time(eta));
        out.flush();
    }

    @Override
    public void onEpochEnd(TrainContext ctx, EpochMetrics m) {
        if (terminal) {
            out.print("\r\033[K");
        }
        out.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  acc %s  val_loss %s  val_acc %s  %.1fs  %,.0f samples/s%n",
                m.epoch(), ctx.epochs(), m.trainLoss(), fmt(m.trainAccuracy()), fmt(m.valLoss()),
                fmt(m.valAccuracy()), m.seconds(), m.samplesPerSecond());
        out.flush();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String time(double s) {
        long t = Math.round(s);
        return t >= 60 ? (t / 60) + "m" + (t % 60) + "s" : t + "s";
    }
}
