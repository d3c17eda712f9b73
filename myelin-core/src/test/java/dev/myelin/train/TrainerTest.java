package dev.myelin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {

    private static Sequential model(Rng rng) {
        return new Sequential(new Linear(2, 32, rng.split("a")), new BatchNorm1d(32), Activation.relu(),
                new Dropout(0.1, rng.split("d")), new Linear(32, 2, rng.split("b")));
    }

    private static History train(long seed, List<Float> finalWeights) {
        Rng rng = new Rng(seed);
        ArrayDataset train = Disc.generate(1000, rng.split("train"));
        ArrayDataset val = Disc.generate(500, rng.split("val"));
        Sequential m = model(rng.split("model"));
        Trainer t = new Trainer(m, Loss.crossEntropy(), new Adam(m.parameters(), Adam.Options.of(1e-2)));
        History h = t.fit(new DataLoader(train, 50, rng.split("shuffle")), new DataLoader(val, 250), 8);
        for (float v : m.parameters().get(0).data()) {
            finalWeights.add(v);
        }
        return h;
    }

    @Test
    void learnsTheDiscAndReportsEveryEpoch() {
        History h = train(1, new ArrayList<>());
        assertEquals(8, h.epochs().size());
        assertNull(h.stopReason());
        EpochMetrics first = h.epochs().get(0);
        EpochMetrics last = h.last();
        assertTrue(last.trainLoss() < first.trainLoss(), "training loss falls: " + first.trainLoss() + " -> " + last.trainLoss());
        assertTrue(last.valAccuracy() > 0.85, "validation accuracy " + last.valAccuracy());
        assertEquals(8L * 20, last.step(), "one step per batch");
    }

    @Test
    void sameSeedGivesTheSameRun() {
        List<Float> w1 = new ArrayList<>();
        List<Float> w2 = new ArrayList<>();
        History a = train(5, w1);
        History b = train(5, w2);
        assertEquals(w1, w2);
        for (int i = 0; i < a.epochs().size(); i++) {
            assertEquals(a.epochs().get(i).trainLoss(), b.epochs().get(i).trainLoss());
            assertEquals(a.epochs().get(i).valAccuracy(), b.epochs().get(i).valAccuracy());
        }
        List<Float> w3 = new ArrayList<>();
        train(6, w3);
        assertFalse(w1.equals(w3), "another seed gives other weights");
    }

    @Test
    void divergingLossStopsWithAReasonBeforeTheBadUpdate() {
        Rng rng = new Rng(3);
        ArrayDataset train = Disc.generate(400, rng.split("train"));
        Sequential m = new Sequential(new Linear(2, 16, rng.split("a")), Activation.relu(), new Linear(16, 16, rng.split("b")),
                Activation.relu(), new Linear(16, 2, rng.split("c")));
        Trainer t = new Trainer(m, Loss.crossEntropy(), new Sgd(m.parameters(), Sgd.Options.of(1e12)));
        History h = t.fit(new DataLoader(train, 20, rng.split("s")), null, 20);
        assertTrue(h.diverged(), "expected divergence, got " + h.epochs());
        assertTrue(h.stopReason().contains("loss became"), h.stopReason());
        assertTrue(h.epochs().size() < 20);
    }

    @Test
    void callbackCanStopTrainingWithAReason() {
        Rng rng = new Rng(4);
        ArrayDataset train = Disc.generate(200, rng.split("train"));
        Sequential m = model(rng.split("m"));
        Trainer t = new Trainer(m, Loss.crossEntropy(), new Adam(m.parameters(), Adam.Options.of(1e-2)));
        t.addCallback(new Callback() {
            @Override
            public void onEpochEnd(TrainContext ctx, EpochMetrics metrics) {
                if (metrics.epoch() == 2) {
                    ctx.requestStop("enough after 2 epochs");
                }
            }
        });
        History h = t.fit(new DataLoader(train, 50, rng.split("s")), null, 10);
        assertEquals(2, h.epochs().size());
        assertEquals("enough after 2 epochs", h.stopReason());
        assertFalse(h.diverged());
    }

    @Test
    void predictAndEvaluateUseEvalModeAndRestoreTrainingMode() {
        Rng rng = new Rng(9);
        Sequential m = model(rng);
        Trainer t = new Trainer(m, Loss.crossEntropy(), new Adam(m.parameters(), Adam.Options.of(1e-2)));
        Tensor x = Tensor.randn(rng, 5, 2);
        Tensor a = t.predict(x);
        Tensor b = t.predict(x);
        assertArrayEquals(a.data(), b.data(), "dropout is off and batch statistics unused in predict");
        assertFalse(a.requiresGrad());
        assertTrue(m.isTraining());
    }

    @Test
    void regularizerPenaltyIsMinimizedAndHooksRunInOrder() {
        Rng rng = new Rng(4);
        ArrayDataset train = Disc.generate(200, rng.split("train"));
        Linear lin = new Linear(2, 2, rng.split("a"));
        Sequential m = new Sequential(lin);
        Trainer t = new Trainer(m, Loss.crossEntropy(), new Sgd(m.parameters(), Sgd.Options.of(0.1)));
        // A large L2 penalty on the weight alone: gradient descent must shrink the weight towards 0.
        t.addRegularizer((model, x, out) -> lin.weight().square().sum().mul(5f));
        float before = lin.weight().square().sum().item();
        List<String> events = new ArrayList<>();
        t.addCallback(new Callback() {
            @Override
            public void onBeforeStep(TrainContext ctx) {
                events.add("before:" + (lin.weight().grad() != null));
            }

            @Override
            public void onBatchEnd(TrainContext ctx, int epoch, int batch, int batches, double loss, int samples) {
                events.add("end");
            }

            @Override
            public void collectMetrics(TrainContext ctx, int epoch, java.util.Map<String, Double> into) {
                into.put("custom", (double) epoch);
            }
        });
        History h = t.fit(new DataLoader(train, 100, rng.split("s")), null, 3);
        assertEquals(List.of("before:true", "end", "before:true", "end"), events.subList(0, 4));
        float norm = lin.weight().square().sum().item();
        assertTrue(norm < 0.05 * before, "penalized weight shrinks towards 0, |W|^2 = " + before + " -> " + norm);
        EpochMetrics last = h.last();
        assertEquals(3.0, last.get("custom"));
        assertTrue(last.get("penalty") >= 0 && last.get("penalty") < h.epochs().get(0).get("penalty"));
        assertEquals(EpochMetrics.csvHeader() + ",penalty,custom", last.header());
        assertEquals(11, last.csvRow().split(",", -1).length);
    }
}
