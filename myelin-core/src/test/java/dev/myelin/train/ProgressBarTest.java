package dev.myelin.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On a terminal every line stays below its width, so a redraw never scrolls. */
class ProgressBarTest {
    private static final TrainContext TEN_EPOCHS = new TrainContext(null, 10);

    @Test
    void theBarFitsAnEightyColumnTerminal() {
        for (int columns : new int[] {80, 60, 40}) {
            String out = drawLastBatch(columns);
            for (String line : out.split("\r")) {
                String text = line.replace("\033[K", "");
                assertTrue(text.length() < columns, columns + " columns: " + text.length() + " characters: " + text);
            }
            assertTrue(out.contains("469/469"), out);
        }
        assertTrue(drawLastBatch(80).contains("[="), "the bar itself shows at 80 columns");
    }

    @Test
    void theEpochSummaryNarrowsOnATerminalAndKeepsItsFormInFiles() {
        EpochMetrics m = new EpochMetrics(10, 4690, 1e-3, 0.2770, 0.8977, 0.3123, 0.8867, 12.3, 46869, Map.of());
        String terminal = summary(true, 80, m);
        assertTrue(terminal.length() < 80, terminal);
        assertEquals("epoch 10/10 loss 0.2770 acc 0.8977 val_loss 0.3123 val_acc 0.8867 12.3s", terminal);
        assertEquals("epoch 10/10  loss 0.2770  acc 0.8977  val_loss 0.3123  val_acc 0.8867  12.3s  46,869 samples/s",
                summary(false, 80, m));
        assertEquals("epoch 10/10  loss 0.2770  acc 0.8977  val_loss 0.3123  val_acc 0.8867  12.3s  46,869 samples/s",
                summary(true, 120, m));
    }

    @Test
    void theEtaIsTheRunsNotTheEpochs() {
        // 10 s for 100 of 400 batches: 30 s left in this epoch, then 2 epochs of 40 s
        assertEquals(110, ProgressBar.eta(10, 100, 400, 2, Double.NaN), 1e-9);
        // once an epoch has ended (50 s, validation included), later epochs take its duration
        assertEquals(30 + 2 * 50, ProgressBar.eta(10, 100, 400, 2, 50), 1e-9);
        assertEquals(0, ProgressBar.eta(40, 400, 400, 0, 50), 1e-9);
        assertTrue(drawLastBatch(120).contains("run ETA 0s"), drawLastBatch(120));
    }

    @Test
    void columnsComeFromTheEnvironmentOrDefaultToEighty() {
        assertEquals(80, ProgressBar.columns(null));
        assertEquals(132, ProgressBar.columns("132"));
        assertEquals(80, ProgressBar.columns("wide"));
        assertEquals(80, ProgressBar.columns("0"));
    }

    private static String drawLastBatch(int columns) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), true, columns);
        bar.onEpochBegin(TEN_EPOCHS, 10);
        bar.onBatchEnd(TEN_EPOCHS, 10, 469, 469, 0.2770, 128);
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static String summary(boolean terminal, int columns, EpochMetrics m) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar printing = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), terminal, columns);
        printing.onEpochEnd(TEN_EPOCHS, m);
        return buf.toString(StandardCharsets.UTF_8).replace("\r\033[K", "").strip();
    }
}
