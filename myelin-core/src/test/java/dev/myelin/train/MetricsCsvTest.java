package dev.myelin.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.DataLoader;
import dev.myelin.data.Disc;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.tensor.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCsvTest {
    private static EpochMetrics row(int epoch) {
        return new EpochMetrics(epoch, epoch * 10L, 0.1, 1.0 / epoch, 0.5, Double.NaN, Double.NaN, 1, 100);
    }

    @Test
    void aResumedRunKeepsTheCompletedEpochsAndDropsLaterRows(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("metrics.csv");
        MetricsCsv first = new MetricsCsv(file);
        for (int e = 1; e <= 3; e++) {
            first.onEpochEnd(null, row(e));
        }
        MetricsCsv resumed = new MetricsCsv(file, 2); // the checkpoint completed 2 epochs; row 3 is trained again
        resumed.onEpochEnd(null, row(3));
        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size(), lines.toString());
        assertEquals(EpochMetrics.csvHeader(), lines.get(0));
        assertTrue(lines.get(3).startsWith("3,30,"), lines.toString());
    }

    @Test
    void anEvaluationOnlyTrainerEvaluatesAndRefusesToFit() {
        Linear model = new Linear(2, 2, new Rng(1));
        Trainer t = new Trainer(model, Loss.crossEntropy());
        DataLoader data = new DataLoader(Disc.generate(50, new Rng(2)), 25);
        assertEquals(50, t.evaluate(data).samples());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.fit(data, null, 1));
        assertTrue(e.getMessage().contains("fit needs an optimizer"), e.getMessage());
    }
}
