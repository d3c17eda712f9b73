package dev.myelin.cli.lab;

import dev.myelin.cli.report.Chart;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTableTest {
    @TempDir
    Path dir;

    @Test
    void tableWritesLongFormCsvWithTheUnionOfColumns() throws Exception {
        Table t = new Table()
                .add("a", Map.of("epoch", 1, "loss", 0.5))
                .add("a", Map.of("epoch", 2, "loss", 0.25))
                .add("b", Map.of("epoch", 1, "error", 0.125));
        t.write(dir.resolve("m.csv"));
        List<String> lines = Files.readAllLines(dir.resolve("m.csv"));
        assertEquals("run,epoch,loss,error", lines.get(0).replace("loss,epoch", "epoch,loss"));
        assertEquals(4, lines.size());
        assertEquals(List.of("a", "b"), t.runs());
        assertArrayEquals(new double[] {0.5, 0.25}, t.column("a", "loss"));
        assertEquals(Double.NaN, t.column("b", "loss")[0]);
    }

    @Test
    void chartsArePngPanelsSideBySide() throws Exception {
        Chart loss = Chart.of("loss", "epoch", "training loss").logY()
                .line("run a", new double[] {1, 2, 3}, new double[] {1, 0.5, Double.NaN})
                .line("run b", new double[] {1, 2, 3}, new double[] {2, 0, 0.1});
        Chart err = Chart.of("error", "epoch", "test error").points("stop", new double[] {2}, new double[] {0.1});
        Path png = dir.resolve("c.png");
        Chart.save(png, loss, err);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "a PNG that decodes");
        assertEquals(2 * 640, img.getWidth());
        assertEquals(440, img.getHeight());
    }

    @Test
    void aFailureOfJavasGraphicsIsTold_AnyOtherIsNot() {
        Error fonts = new Error("Probable fatal error: No physical fonts found.");
        fonts.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("sun.font.SunFontManager", "getDefaultPhysicalFont", null, 1),
            new StackTraceElement("dev.myelin.cli.lab.Chart", "render", null, 2)});
        org.junit.jupiter.api.Assertions.assertTrue(Chart.fromGraphics(fonts));
        org.junit.jupiter.api.Assertions.assertTrue(Chart.fromGraphics(new UnsatisfiedLinkError("libfontmanager.so")));
        org.junit.jupiter.api.Assertions.assertFalse(Chart.fromGraphics(new IllegalStateException("a bug of ours")));
        assertEquals(List.of(), Chart.takeUndrawn());
    }
}
