package dev.myelin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.ArrayDataset;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Disc;
import dev.myelin.io.SafeTensors;
import dev.myelin.nn.Activation;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.GaussianNoise;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Adam;
import dev.myelin.optim.GradClipping;
import dev.myelin.optim.schedule.StepDecay;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.regularize.ParamSelection;
import dev.myelin.train.regularize.WeightNoise;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped anywhere and resumed from its last checkpoint ends with the same bits as one
 * that never stopped: weights, optimizer state, schedule, early stopping, every random stream.
 */
class ResumeTest {
    private static final int EPOCHS = 5;

    /** A run that throws at step {@code killAt} (0: never), as a kill would stop it. */
    private static final class Kill extends RuntimeException {
        Kill() {
            super("killed", null, false, false);
        }
    }

    private record Run(Trainer trainer, DataLoader train, DataLoader val, Sequential model) {
    }

    private static Run build(Path checkpoints, int everySteps, long killAt) {
        Rng root = new Rng(7);
        ArrayDataset train = Disc.generate(400, root.split("train"));
        ArrayDataset val = Disc.generate(200, root.split("val"));
        Rng m = root.split("model");
        Sequential model = new Sequential(new Linear(2, 24, m.split("a")), new BatchNorm1d(24), Activation.relu(),
                new Dropout(0.2, m.split("d")), new GaussianNoise(0.05, m.split("n")), new Linear(24, 2, m.split("b")));
        Trainer t = new Trainer(model, Loss.crossEntropy(), new Adam(model.parameters(), Adam.Options.of(1e-2)));
        t.addCallback(new WeightNoise(0.01, ParamSelection.WEIGHTS, root.split("noise")));
        t.addCallback(new LrScheduler(new StepDecay(30, 0.5), dev.myelin.optim.schedule.LrSchedule.Unit.STEP));
        t.addCallback(new GradientClipper(new GradClipping.Options(1.0, null, GradClipping.NormType.TWO, false, true).rule()));
        t.addCallback(new EarlyStopping(EarlyStopping.Options.of("val_loss", 50)));
        if (checkpoints != null) {
            t.addCallback(new ModelCheckpoint(checkpoints,
                    new ModelCheckpoint.Options(everySteps, 2, null, null).monitoring("val_accuracy", null)));
        }
        if (killAt > 0) {
            t.addCallback(new Callback() {
                @Override
                public void onBatchEnd(TrainContext ctx, int epoch, int batch, int batches, double loss, int n) {
                    if (ctx.step() == killAt) {
                        throw new Kill();
                    }
                }
            });
        }
        return new Run(t, new DataLoader(train, 32, root.split("shuffle")), new DataLoader(val, 100), model);
    }

    private static Map<String, Tensor> finalState(Run r) {
        Map<String, Tensor> out = new LinkedHashMap<>(r.model().stateDict());
        r.trainer().optimizer().stateDict().forEach((k, v) -> out.put("optimizer." + k, v));
        return out;
    }

    private static void assertSameBits(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, t) -> assertArrayEquals(t.data(), actual.get(k).data(), k));
    }

    @Test
    void aRunKilledAnywhereResumesToTheSameBits(@TempDir Path dir) throws IOException {
        Run whole = build(null, 0, 0);
        History expected = whole.trainer().fit(whole.train(), whole.val(), EPOCHS);
        Map<String, Tensor> reference = finalState(whole);
        int batches = whole.train().numBatches(); // 13
        for (long killAt : new long[] {5, batches, batches + 1, 2L * batches + 7, 4L * batches + 12}) {
            Path ck = dir.resolve("kill-" + killAt);
            Run first = build(ck, 4, killAt);
            assertThrows(Kill.class, () -> first.trainer().fit(first.train(), first.val(), EPOCHS));
            Path last = ModelCheckpoint.recover(ck);
            assertNotNull(last, "a checkpoint exists after step " + killAt);
            Run second = build(ck, 4, 0);
            ModelCheckpoint.resume(last, second.trainer());
            History h = second.trainer().fit(second.train(), second.val(), EPOCHS);
            assertSameBits(reference, finalState(second));
            assertEquals(expected.epochs().size(), h.epochs().size());
            for (int e = 0; e < h.epochs().size(); e++) {
                assertEquals(expected.epochs().get(e).trainLoss(), h.epochs().get(e).trainLoss(), "epoch " + (e + 1));
                assertEquals(expected.epochs().get(e).valLoss(), h.epochs().get(e).valLoss());
                assertEquals(expected.epochs().get(e).extra(), h.epochs().get(e).extra());
            }
        }
    }

    @Test
    void aFinishedRunExtendsAsIfItHadBeenAskedForMoreEpochs(@TempDir Path dir) throws IOException {
        Run whole = build(null, 0, 0);
        whole.trainer().fit(whole.train(), whole.val(), EPOCHS);
        Run shortRun = build(dir, 0, 0);
        shortRun.trainer().fit(shortRun.train(), shortRun.val(), 2);
        Run extended = build(dir, 0, 0);
        ModelCheckpoint.resume(ModelCheckpoint.recover(dir), extended.trainer());
        History h = extended.trainer().fit(extended.train(), extended.val(), EPOCHS);
        assertEquals(EPOCHS, h.epochs().size());
        assertSameBits(finalState(whole), finalState(extended));
    }

    @Test
    void checkpointsAreWholeReadableAndPruned(@TempDir Path dir) throws IOException {
        Run r = build(dir, 10, 0);
        r.trainer().fit(r.train(), r.val(), 2);
        Path last = dir.resolve(ModelCheckpoint.LAST);
        String json = Files.readString(last.resolve(TrainState.VALUES_FILE));
        assertTrue(json.contains("\"trainer.step\": 26"), json);
        assertTrue(json.contains("\"streams.3.rng\""), "dropout's stream is saved: " + json);
        assertTrue(json.contains("\"callbacks.lr_scheduler.t\": 26"), json);
        assertTrue(Files.isDirectory(dir.resolve(ModelCheckpoint.BEST)), "best is kept for the monitored metric");
        List<String> names;
        try (var s = Files.list(dir)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("best", "last", "step-000000020"), names, "keep 2: last and the one before");
        assertFalse(SafeTensors.read(last.resolve(ModelCheckpoint.MODEL_FILE)).tensors().isEmpty());
    }

    @Test
    void aKillBetweenTheTwoRenamesKeepsTheOldCheckpoint(@TempDir Path dir) throws IOException {
        Run r = build(dir, 0, 0);
        r.trainer().fit(r.train(), r.val(), 1);
        Path last = dir.resolve(ModelCheckpoint.LAST);
        Files.move(last, dir.resolve("last.old"));
        Files.createDirectories(dir.resolve("last.tmp"));
        Files.writeString(dir.resolve("last.tmp").resolve("trainer.json"), "{\"trainer.st");
        assertEquals(last, ModelCheckpoint.recover(dir));
        assertFalse(Files.exists(dir.resolve("last.tmp")));
        assertEquals(2, TrainState.read(last).child("trainer").getInt("epoch"));
    }

    @Test
    void aResumeWithOtherDataOrMoreEpochsThanAskedIsRefused(@TempDir Path dir) throws IOException {
        Run r = build(dir, 0, 0);
        r.trainer().fit(r.train(), r.val(), 3);
        Run again = build(dir, 0, 0);
        ModelCheckpoint.resume(dir.resolve(ModelCheckpoint.LAST), again.trainer());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> again.trainer().fit(again.train(), again.val(), 2));
        assertTrue(e.getMessage().contains("trained 3 epochs"), e.getMessage());
        Run other = build(dir, 0, 0);
        ModelCheckpoint.resume(dir.resolve(ModelCheckpoint.LAST), other.trainer());
        DataLoader bigger = new DataLoader(other.train().dataset(), 16, new Rng(1));
        e = assertThrows(IllegalArgumentException.class, () -> other.trainer().fit(bigger, other.val(), 5));
        assertTrue(e.getMessage().contains("batches per epoch"), e.getMessage());
    }
}
