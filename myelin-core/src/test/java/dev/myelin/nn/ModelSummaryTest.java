package dev.myelin.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.tensor.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSummaryTest {
    private static Sequential mlp() {
        Rng rng = new Rng(0);
        return new Sequential(new Flatten(), new Linear(784, 256, rng.split("a")), new BatchNorm1d(256),
                Activation.relu(), new Dropout(0.2, rng.split("b")), new Linear(256, 10, rng.split("c")));
    }

    @Test
    void rowsHoldEachLayersOutputShapeAndParameters() {
        ModelSummary s = ModelSummary.of(mlp(), 1, 28, 28);
        List<ModelSummary.Row> rows = s.rows();
        assertEquals(6, rows.size());
        assertEquals(List.of("Flatten", "Linear", "BatchNorm1d", "ReLU", "Dropout", "Linear"),
                rows.stream().map(ModelSummary.Row::type).toList());
        assertArrayEquals(new int[] {784}, rows.get(0).outputShape());
        assertArrayEquals(new int[] {256}, rows.get(2).outputShape());
        assertArrayEquals(new int[] {10}, rows.get(5).outputShape());
        assertEquals(784 * 256 + 256, rows.get(1).parameters());
        assertEquals(2 * 256, rows.get(2).parameters());
        assertEquals(0, rows.get(3).parameters());
        assertEquals(784 * 256 + 256 + 512 + 2570, s.parameters());
        assertEquals(s.parameters(), mlp().parameterCount());
        assertEquals(2 * 256 + 1, s.buffers()); // running mean and variance, num_batches_tracked
        assertEquals(784 + 4 * 256 + 10, s.activationValues());
        assertEquals("1", rows.get(1).name());
    }

    @Test
    void frozenLayersAreCountedApartAndTheModeIsKept() {
        Sequential m = mlp();
        Freezing.freeze(m, List.of("1"));
        m.train();
        ModelSummary s = ModelSummary.of(m, 784);
        assertTrue(m.isTraining(), "the summary leaves the model in training mode");
        assertEquals("frozen", s.rows().get(1).trainability());
        assertEquals("yes", s.rows().get(2).trainability());
        assertEquals("", s.rows().get(3).trainability());
        assertEquals(784 * 256 + 256, s.frozen());
        assertEquals(512 + 2570, s.trainable());
        m.eval();
        ModelSummary.of(m, 784);
        assertFalse(m.isTraining());
    }

    @Test
    void convolutionShapesAreMeasured() {
        Rng rng = new Rng(1);
        Sequential m = new Sequential(new Conv2d(3, 8, 3, 1, 1, rng.split("c")), new BatchNorm2d(8),
                Activation.relu(), new MaxPool2d(2), new Conv2d(8, 16, 3, 2, 0, rng.split("d")), new Flatten());
        ModelSummary s = ModelSummary.of(m, 3, 32, 32);
        assertArrayEquals(new int[] {8, 32, 32}, s.rows().get(0).outputShape());
        assertArrayEquals(new int[] {8, 16, 16}, s.rows().get(3).outputShape());
        assertArrayEquals(new int[] {16, 7, 7}, s.rows().get(4).outputShape());
        assertArrayEquals(new int[] {16 * 49}, s.rows().get(5).outputShape());
        assertEquals(3 * 8 * 9 + 8, s.rows().get(0).parameters());
    }

    @Test
    void aBlockIsFollowedByItsChildrenWithoutShapes() {
        Rng rng = new Rng(2);
        Sequential block = new Sequential(new Linear(4, 8, rng.split("a")), Activation.relu());
        ModelSummary s = ModelSummary.of(new Sequential(block, new Linear(8, 3, rng.split("b"))), 4);
        assertEquals(List.of("0", "0.0", "0.1", "1"), s.rows().stream().map(ModelSummary.Row::name).toList());
        assertEquals(List.of(0, 1, 1, 0), s.rows().stream().map(ModelSummary.Row::depth).toList());
        assertArrayEquals(new int[] {8}, s.rows().get(0).outputShape());
        assertEquals(null, s.rows().get(1).outputShape());
        assertEquals(40, s.rows().get(1).parameters());
        assertEquals(40 + 27, s.parameters(), "children are not counted twice");
        String text = s.render(0);
        assertTrue(text.contains("layer outputs: 11 values per sample"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("0\\.0 +  Linear +40  yes")), text);
    }

    @Test
    void theTableFitsEightyColumnsAndEndsWithTheTotals() {
        String text = ModelSummary.of(mlp(), 1, 28, 28).render(128);
        for (String line : text.split("\n")) {
            assertTrue(line.length() <= 80, line);
            assertEquals(line.stripTrailing(), line);
        }
        assertTrue(text.contains("[N, 1, 28, 28]"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("1 +Linear +\\[N, 256] +200,960  yes")), text);
        assertTrue(text.contains("parameters: 204,042 (797.04 KiB), 204,042 trainable, 0 frozen\nbuffers: 513 values (2.00 KiB)\n"),
                text);
        assertTrue(text.contains("activations: 1,818 values per sample (7.10 KiB), 909.00 KiB per batch of 128"),
                text);
        assertEquals("1.00 MiB", ModelSummary.bytes(1 << 18));
        assertEquals("12 B", ModelSummary.bytes(3));
    }
}
