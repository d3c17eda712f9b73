package dev.myelin.cli.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One chart panel (drawn with XChart): lines or point series against a numeric x axis, with a
 * title, axis labels and a legend. {@link #save} puts several panels side by side in one PNG.
 * Non-finite points (and non-positive ones on a log axis) are left out, so a diverged run's
 * curve simply ends.
 *
 * <p>Made to be read: the series take the ten distinct hues of Tableau 10 (the report page's
 * palette; from the eleventh on they repeat, dashed), the legend sits outside the plot, and a
 * log axis is drawn as a linear axis over log10 of the values whose ticks are labelled with the
 * values themselves, so that a range within a decade still gets several labels (XChart's own
 * log axis labels the powers of ten only).
 */
public final class Chart {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 440;
    private static final List<String> UNDRAWN = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    private record Series(String name, double[] x, double[] y, boolean points) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logY;
    /** Tableau 10 with its grey darkened (a pale grey does not show on white), as the report page. */
    static final Color[] PALETTE = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759),
        new Color(0x76b7b2), new Color(0x59a14f), new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7),
        new Color(0x9c755f), new Color(0x333333)};
    private Styler.LegendPosition legend = Styler.LegendPosition.OutsideE;
    private boolean logX;
    private double[] yRange;
    private List<String> categories;

    private Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public static Chart of(String title, String xLabel, String yLabel) {
        return new Chart(title, xLabel, yLabel);
    }

    /** A line through the points {@code (x[i], y[i])}. */
    public Chart line(String name, double[] x, double[] y) {
        series.add(new Series(name, x.clone(), y.clone(), false));
        return this;
    }

    /** Markers only, no line: e.g. the epoch where early stopping fired. */
    public Chart points(String name, double[] x, double[] y) {
        series.add(new Series(name, x.clone(), y.clone(), true));
        return this;
    }

    /** A logarithmic y axis (for losses and standard deviations that span decades). */
    public Chart logY() {
        logY = true;
        return this;
    }

    /** Where the legend goes (default: outside, right of the plot; OutsideS below it). */
    public Chart legend(Styler.LegendPosition position) {
        if (position != Styler.LegendPosition.OutsideE && position != Styler.LegendPosition.OutsideS) {
            throw new IllegalArgumentException("Chart.legend: expected OutsideE or OutsideS (legends stay off the"
                    + " data), found " + position);
        }
        legend = position;
        return this;
    }

    /** A fixed y range (a share from 0 to 1), instead of the data's. */
    public Chart yRange(double lo, double hi) {
        yRange = new double[] {lo, hi};
        return this;
    }

    /** A logarithmic x axis (for iteration counts that span decades). */
    public Chart logX() {
        logX = true;
        return this;
    }

    /**
     * A categorical x axis: the point at x = i belongs to {@code labels.get(i)}, and the axis is
     * labelled with the names at the whole numbers only.
     */
    public Chart categoriesX(List<String> labels) {
        categories = List.copyOf(labels);
        return this;
    }

    /** The title the panel is drawn with. */
    public String title() {
        return title;
    }

    /**
     * The label of the categorical axis' tick at {@code x}: a name at a whole index, else blanks,
     * a different number of them for each tick (XChart thins the ticks until their labels differ).
     */
    static String categoryLabel(List<String> labels, double x) {
        long i = Math.round(x);
        return Math.abs(x - i) < 1e-9 && i >= 0 && i < labels.size() ? labels.get((int) i)
                : " ".repeat((int) Math.max(1, Math.min(64, Math.round(4 * x) + 3)));
    }

    /** Draws the panel. */
    public BufferedImage render() {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(logX ? xLabel + " (log scale)" : xLabel).yAxisTitle(logY ? yLabel + " (log scale)" : yLabel)
                .build();
        var s = c.getStyler();
        s.setLegendPosition(legend);
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendBorderColor(Color.WHITE);
        s.setSeriesColors(PALETTE);
        s.setXAxisDecimalPattern("#,##0.###");
        if (!logY) {
            s.setYAxisDecimalPattern("#,##0.####");
        }
        if (yRange != null) {
            s.setYAxisMin(yRange[0]);
            s.setYAxisMax(yRange[1]);
        }
        if (logX) {
            c.setCustomXAxisTickLabelsFormatter(Chart::powerOfTen);
        }
        if (categories != null) {
            List<String> names = categories;
            c.setCustomXAxisTickLabelsFormatter(x -> categoryLabel(names, x));
            s.setXAxisMin(-0.5);
            s.setXAxisMax(names.size() - 0.5);
        }
        if (logY) {
            c.setCustomYAxisTickLabelsFormatter(Chart::powerOfTen);
        }
        int drawn = 0;
        for (Series ser : series) {
            double[][] pts = finite(ser.x(), ser.y());
            if (pts[0].length == 0) {
                continue;
            }
            XYSeries xy = c.addSeries(ser.name(), logX ? log10(pts[0]) : pts[0], logY ? log10(pts[1]) : pts[1]);
            Color colour = PALETTE[drawn % PALETTE.length];
            xy.setLineColor(colour);
            xy.setMarkerColor(colour);
            if (drawn++ >= PALETTE.length) {
                xy.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
            }
            if (ser.points()) {
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            } else {
                xy.setMarker(pts[0].length > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            }
        }
        return BitmapEncoder.getBufferedImage(c);
    }

    private static double[] log10(double[] v) {
        return java.util.Arrays.stream(v).map(Math::log10).toArray();
    }

    /** The label of a log axis tick at {@code exponent}: 10^exponent with three significant digits. */
    static String powerOfTen(double exponent) {
        double v = Math.pow(10, exponent);
        if (v >= 1e-3 && v < 1e5) {
            return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros()
                    .toPlainString();
        }
        int e = (int) Math.floor(Math.log10(v) + 1e-9);
        String m = new java.math.BigDecimal(v / Math.pow(10, e)).round(new java.math.MathContext(2))
                .stripTrailingZeros().toPlainString();
        return m + "e" + e;
    }

    private double[][] finite(double[] x, double[] y) {
        int n = Math.min(x.length, y.length);
        double[] fx = new double[n];
        double[] fy = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logY || y[i] > 0) && (!logX || x[i] > 0)) {
                fx[k] = x[i];
                fy[k++] = y[i];
            }
        }
        return new double[][] {java.util.Arrays.copyOf(fx, k), java.util.Arrays.copyOf(fy, k)};
    }

    /** Saves the panels side by side, {@code columns} per row, as one PNG (written atomically). */
    public static void save(Path png, int columns, List<Chart> panels) throws IOException {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("Chart.save: no panels to draw into " + png);
        }
        BufferedImage all;
        try {
            all = draw(columns, panels);
        } catch (Error | RuntimeException e) {
            if (!fromGraphics(e)) {
                throw e;
            }
            UNDRAWN.add(png.getFileName() + " (" + e + ")");
            return; // the lab's numbers and verdict do not depend on the picture; the command reports it
        }
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        ImageIO.write(all, "png", tmp.toFile());
        Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static BufferedImage draw(int columns, List<Chart> panels) {
        int cols = Math.min(columns, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        BufferedImage all = new BufferedImage(cols * WIDTH, rows * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(panels.get(i).render(), (i % cols) * WIDTH, (i / cols) * HEIGHT, null);
        }
        g.dispose();
        return all;
    }

    /**
     * True when {@code e} came from Java's graphics stack: AWT, its fonts or Java2D (a machine
     * without fonts ends in {@code java.lang.Error: Probable fatal error: No physical fonts
     * found}, one without its native libraries in an {@code UnsatisfiedLinkError}).
     */
    public static boolean fromGraphics(Throwable e) {
        if (e instanceof LinkageError) {
            return true;
        }
        for (StackTraceElement f : e.getStackTrace()) {
            String c = f.getClassName();
            if (c.startsWith("java.awt.") || c.startsWith("sun.awt.") || c.startsWith("sun.font.")
                    || c.startsWith("sun.java2d.")) {
                return true;
            }
        }
        return false;
    }

    /** What to install when Java cannot draw (a machine without fonts). */
    public static final String FONTS = "apt-get install -y fontconfig fonts-dejavu-core";

    /**
     * One warning line per chart {@link #save} could not draw since the last call, saying that
     * {@code complete} (what the command wrote is whole) and what to install; clears the list.
     */
    public static void warnUndrawn(java.io.PrintStream err, String complete) {
        for (String undrawn : takeUndrawn()) {
            err.println("myelin: warning: could not draw " + undrawn + "; " + complete + ". Install fonts for the"
                    + " chart: " + FONTS);
        }
    }

    /** The charts {@link #save} could not draw since the last call, each with why; clears the list. */
    public static List<String> takeUndrawn() {
        synchronized (UNDRAWN) {
            List<String> all = List.copyOf(UNDRAWN);
            UNDRAWN.clear();
            return all;
        }
    }

    /** Saves the panels in one row. */
    public static void save(Path png, Chart... panels) throws IOException {
        save(png, panels.length, List.of(panels));
    }
}
