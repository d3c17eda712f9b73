package dev.myelin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.ArrayDataset;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Disc;
import dev.myelin.nn.Activation;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Adam;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keras EarlyStopping semantics on scripted metric sequences, and restoring the best weights in a real fit. */
class EarlyStoppingTest {

    /** Feeds {@code values} of {@code metric} as epochs 1, 2, ... until the callback asks to stop. */
    private static int run(EarlyStopping es, String metric, double... values) {
        Sequential model = new Sequential(new Linear(1, 1, new Rng(0)));
        TrainContext ctx = new TrainContext(new Trainer(model, null, null), values.length);
        es.onTrainBegin(ctx);
        int epoch = 0;
        for (double v : values) {
            epoch++;
            double loss = metric.equals("val_loss") ? v : 1.0;
            double acc = metric.equals("val_accuracy") ? v : 0.5;
            es.onEpochEnd(ctx, new EpochMetrics(epoch, epoch, 0.1, 1.0, 0.5, loss, acc, 1, 1));
            if (ctx.stopReason() != null) {
                break;
            }
        }
        es.onTrainEnd(ctx, new History());
        return epoch;
    }

    private static EarlyStopping es(String monitor, EarlyStopping.Mode mode, int patience, double minDelta) {
        return new EarlyStopping(new EarlyStopping.Options(monitor, mode, patience, minDelta, false, 0));
    }

    @Test
    void minModeStopsAfterPatienceEpochsWithoutImprovement() {
        EarlyStopping e = es("val_loss", EarlyStopping.Mode.AUTO, 2, 0);
        // best 0.7 at epoch 3; epochs 4 and 5 do not improve -> stop after 5
        assertEquals(5, run(e, "val_loss", 1.0, 0.8, 0.7, 0.75, 0.7, 0.5, 0.4));
        assertFalse(e.maximizes());
        assertEquals(3, e.bestEpoch());
        assertEquals(0.7, e.best());
        assertEquals(5, e.stoppedEpoch());
    }

    @Test
    void maxModeIsChosenForAccuracyAndStops() {
        EarlyStopping e = es("val_accuracy", EarlyStopping.Mode.AUTO, 1, 0);
        assertEquals(4, run(e, "val_accuracy", 0.5, 0.6, 0.9, 0.85, 0.95));
        assertTrue(e.maximizes());
        assertEquals(3, e.bestEpoch());
        assertEquals(4, e.stoppedEpoch());
    }

    @Test
    void explicitModeOverridesTheName() {
        // mode max on a loss: the rising values are improvements, the fall at epoch 3 is not
        EarlyStopping e = es("val_loss", EarlyStopping.Mode.MAX, 1, 0);
        assertEquals(3, run(e, "val_loss", 1.0, 2.0, 1.5, 3.0));
        assertEquals(2, e.bestEpoch());
    }

    @Test
    void minDeltaTurnsSmallGainsIntoNoImprovement() {
        // gains under min_delta 0.01 (to 0.992 at most) do not count: best stays epoch 1, stop after 1 + patience 3
        EarlyStopping e = es("val_loss", EarlyStopping.Mode.MIN, 3, 0.01);
        assertEquals(4, run(e, "val_loss", 1.0, 0.996, 0.994, 0.992, 0.5));
        assertEquals(1, e.bestEpoch());
        // without min_delta each epoch improves and training runs to the end
        EarlyStopping none = es("val_loss", EarlyStopping.Mode.MIN, 3, 0);
        assertEquals(5, run(none, "val_loss", 1.0, 0.996, 0.994, 0.992, 0.5));
        assertEquals(0, none.stoppedEpoch());
        assertEquals(5, none.bestEpoch());
    }

    @Test
    void minDeltaEqualGainIsNotAnImprovement() {
        // Keras: improvement needs v + min_delta < best strictly; 1.0 -> 0.5 with min_delta 0.5 is not one
        EarlyStopping e = es("val_loss", EarlyStopping.Mode.MIN, 1, 0.5);
        assertEquals(2, run(e, "val_loss", 1.0, 0.5, 0.1));
    }

    @Test
    void patienceZeroStopsAtTheFirstEpochWithoutImprovement() {
        EarlyStopping e = es("val_loss", EarlyStopping.Mode.MIN, 0, 0);
        assertEquals(3, run(e, "val_loss", 1.0, 0.9, 0.95, 0.1));
    }

    @Test
    void nanNeverImproves() {
        EarlyStopping e = es("val_loss", EarlyStopping.Mode.MIN, 1, 0);
        assertEquals(2, run(e, "val_loss", 1.0, Double.NaN, 0.1));
        assertEquals(1, e.bestEpoch());
    }

    @Test
    void startFromEpochIgnoresWarmUp() {
        EarlyStopping e = new EarlyStopping(new EarlyStopping.Options("val_loss", EarlyStopping.Mode.MIN, 1, 0, false, 2));
        // epochs 1-2 ignored (their 0.1 would otherwise be the best); best 0.5 at 3, stop after 4
        assertEquals(4, run(e, "val_loss", 0.1, 0.1, 0.5, 0.6, 0.4));
        assertEquals(3, e.bestEpoch());
    }

    @Test
    void reasonSaysWhyAndWhere() {
        Sequential model = new Sequential(new Linear(1, 1, new Rng(0)));
        TrainContext ctx = new TrainContext(new Trainer(model, null, null), 10);
        EarlyStopping e = new EarlyStopping(EarlyStopping.Options.of("val_loss", 1));
        e.onTrainBegin(ctx);
        e.onEpochEnd(ctx, new EpochMetrics(1, 1, 0.1, 1, 0.5, 0.25, 0.5, 1, 1));
        assertNull(ctx.stopReason());
        e.onEpochEnd(ctx, new EpochMetrics(2, 2, 0.1, 1, 0.5, 0.30, 0.5, 1, 1));
        String r = ctx.stopReason();
        assertTrue(r.contains("val_loss did not improve for 1 epoch"), r);
        assertTrue(r.contains("stopped after epoch 2"), r);
        assertTrue(r.contains("best val_loss 0.25 at epoch 1"), r);
        assertTrue(r.contains("restored the weights of epoch 1"), r);
    }

    @Test
    void missingValidationSplitIsAClearError() {
        EarlyStopping e = es("val_loss", EarlyStopping.Mode.AUTO, 2, 0);
        IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> run(e, "val_loss", Double.NaN, Double.NaN));
        assertTrue(ex.getMessage().contains("no validation split"), ex.getMessage());
        assertTrue(ex.getMessage().contains("data.validation"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> run(es("val_los", EarlyStopping.Mode.AUTO, 1, 0), "x", 1));
    }

    /**
     * A real fit with a min_delta no epoch can beat: epoch 1 is the best, epoch 2 stops training,
     * and the model ends with epoch 1's parameters and batch-norm buffers, so evaluating it on the
     * validation data gives exactly the validation loss recorded for epoch 1.
     */
    @Test
    void trainerRestoresTheBestEpochsWeightsAndBuffers() {
        Rng rng = new Rng(21);
        ArrayDataset train = Disc.generate(400, rng.split("train"));
        ArrayDataset val = Disc.generate(200, rng.split("val"));
        Sequential m = new Sequential(new Linear(2, 16, rng.split("a")), new BatchNorm1d(16), Activation.relu(),
                new Dropout(0.1, rng.split("d")), new Linear(16, 2, rng.split("b")));
        Trainer t = new Trainer(m, Loss.crossEntropy(), new Adam(m.parameters(), Adam.Options.of(1e-2)));
        List<Map<String, float[]>> states = new ArrayList<>();
        t.addCallback(new Callback() {
            @Override
            public void onEpochEnd(TrainContext ctx, EpochMetrics metrics) {
                Map<String, float[]> s = new LinkedHashMap<>();
                ctx.model().stateDict().forEach((k, v) -> s.put(k, v.data().clone()));
                states.add(s);
            }
        });
        EarlyStopping es = new EarlyStopping(new EarlyStopping.Options("val_loss", EarlyStopping.Mode.AUTO, 1, 100,
                true, 0));
        t.addCallback(es);
        DataLoader valLoader = new DataLoader(val, 50);
        History h = t.fit(new DataLoader(train, 40, rng.split("s")), valLoader, 10);

        assertEquals(2, h.epochs().size());
        assertEquals(2, es.stoppedEpoch());
        assertEquals(1, es.restoredEpoch());
        assertTrue(h.stopReason().startsWith("early stopping: val_loss"), h.stopReason());
        states.get(0).forEach((k, v) -> assertArrayEquals(v, m.stateDict().get(k).data(), "restored " + k));
        assertFalse(java.util.Arrays.equals(states.get(0).get("0.weight"), states.get(1).get("0.weight")));
        assertEquals(h.epochs().get(0).valLoss(), t.evaluate(valLoader).loss(), 0.0);
    }

    @Test
    void trainerRestoresTheLowestValidationLossOnAnOverfittingRun() {
        // a small, noisy training set and a big learning rate: validation loss rises after a few epochs
        Rng rng = new Rng(5);
        ArrayDataset train = Disc.generate(60, rng.split("train"));
        ArrayDataset val = Disc.generate(300, rng.split("val"));
        Sequential m = new Sequential(new Linear(2, 64, rng.split("a")), Activation.relu(),
                new Linear(64, 64, rng.split("b")), Activation.relu(), new Linear(64, 2, rng.split("c")));
        Trainer t = new Trainer(m, Loss.crossEntropy(), new Adam(m.parameters(), Adam.Options.of(3e-2)));
        EarlyStopping es = new EarlyStopping(EarlyStopping.Options.of("val_loss", 3));
        t.addCallback(es);
        DataLoader valLoader = new DataLoader(val, 100);
        History h = t.fit(new DataLoader(train, 10, rng.split("s")), valLoader, 200);

        double best = h.epochs().stream().mapToDouble(EpochMetrics::valLoss).min().orElseThrow();
        EpochMetrics bestRow = h.epochs().stream().filter(r -> r.valLoss() == best).findFirst().orElseThrow();
        assertTrue(h.epochs().size() < 200, "stopped early");
        assertEquals(bestRow.epoch(), es.bestEpoch());
        assertEquals(bestRow.epoch() + 3, es.stoppedEpoch());
        assertEquals(best, t.evaluate(valLoader).loss(), 0.0, "the restored model's validation loss is the best one");
        Tensor x = Tensor.randn(rng, 3, 2);
        assertEquals(3, t.predict(x).size(0));
    }
}
