package dev.myelin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.data.ArrayDataset;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Disc;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.GradClipping;
import dev.myelin.optim.ParamGroup;
import dev.myelin.optim.Sgd;
import dev.myelin.optim.schedule.Cosine;
import dev.myelin.optim.schedule.Exponential;
import dev.myelin.optim.schedule.LrSchedule;
import dev.myelin.optim.schedule.ReduceLrOnPlateau;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The training callbacks of schedules and clipping: the rate each step uses, the lr column, the
 * plateau reduction, the gradient-norm columns, clipping inside fit, and the stop on a
 * non-finite gradient.
 */
class SchedulingAndClippingTest {
    private static final int N = 200;
    private static final int BATCH = 50; // 4 steps per epoch

    private static Sequential model(Rng rng) {
        return new Sequential(new Linear(2, 8, rng.split("a")), Activation.tanh(), new Linear(8, 2, rng.split("b")));
    }

    private static DataLoader data(Rng rng) {
        ArrayDataset d = Disc.generate(N, rng.split("data"));
        return new DataLoader(d, BATCH, rng.split("shuffle"));
    }

    /** Records the lr of every step from inside onBeforeStep. */
    private static final class LrProbe implements Callback {
        final List<Double> lrs = new ArrayList<>();

        @Override
        public void onBeforeStep(TrainContext ctx) {
            lrs.add(ctx.optimizer().lr());
        }
    }

    @Test
    void stepScheduleSetsTheRateOfEveryStepAndTheLrColumn() {
        Rng rng = new Rng(1);
        Sequential m = model(rng);
        LrSchedule s = new Exponential(8);
        LrProbe probe = new LrProbe();
        Trainer t = new Trainer(m, Loss.crossEntropy(), new Sgd(m.parameters(), Sgd.Options.of(0.5)))
                .addCallback(new LrScheduler(s)).addCallback(probe);
        History h = t.fit(data(rng), null, 3);
        assertEquals(12, probe.lrs.size());
        for (int k = 0; k < 12; k++) {
            assertEquals(s.at(0.5, k), probe.lrs.get(k), 1e-15, "step " + k);
        }
        for (EpochMetrics e : h.epochs()) {
            assertEquals(s.at(0.5, (e.epoch() - 1) * 4L), e.lr(), 1e-15, "lr column of epoch " + e.epoch());
        }
    }

    @Test
    void epochScheduleScalesEachGroupFromItsOwnInitialRate() {
        Rng rng = new Rng(2);
        Sequential m = model(rng);
        List<Tensor> ps = m.parameters();
        Sgd opt = new Sgd(List.of(new ParamGroup<>(ps.subList(0, 2), Sgd.Options.of(0.1)),
                new ParamGroup<>(ps.subList(2, 4), Sgd.Options.of(0.01))));
        LrSchedule s = new Cosine(3, 0);
        List<double[]> seen = new ArrayList<>();
        Callback probe = new Callback() {
            @Override
            public void onEpochBegin(TrainContext ctx, int epoch) {
                seen.add(new double[] {ctx.optimizer().lr(0), ctx.optimizer().lr(1)});
            }
        };
        new Trainer(m, Loss.crossEntropy(), opt).addCallback(new LrScheduler(s, LrSchedule.Unit.EPOCH))
                .addCallback(probe).fit(data(rng), null, 3);
        for (int e = 0; e < 3; e++) {
            assertArrayEquals(new double[] {s.at(0.1, e), s.at(0.01, e)}, seen.get(e), 1e-15, "epoch " + (e + 1));
        }
    }

    @Test
    void plateauLowersTheRateWhenTheMonitoredMetricStalls() {
        Rng rng = new Rng(3);
        Sequential m = model(rng);
        // a rate of 1e-9 leaves the loss unchanged well within the 1e-4 threshold: a plateau from epoch 2 on
        Sgd opt = new Sgd(m.parameters(), Sgd.Options.of(1e-9));
        ReduceLrOnPlateau.Options o = new ReduceLrOnPlateau.Options(ReduceLrOnPlateau.Mode.MIN, 0.5, 1, 1e-4,
                ReduceLrOnPlateau.ThresholdMode.REL, 0, 0, 0);
        PlateauScheduler plateau = new PlateauScheduler(new ReduceLrOnPlateau(o), "train_loss");
        History h = new Trainer(m, Loss.crossEntropy(), opt).addCallback(plateau).fit(data(rng), null, 5);
        assertEquals(5, h.epochs().size());
        // epochs 2 and 3 are bad (patience 1): reduction after epoch 3; epochs 4 and 5: after epoch 5
        assertEquals(2, plateau.reductions());
        assertEquals(0.25e-9, opt.lr(), 1e-24);
        assertEquals(0.5e-9, h.epochs().get(4).lr(), 1e-24, "epoch 5 ran at the rate halved after epoch 3");
    }

    @Test
    void clipperRecordsTheNormBeforeClippingAndClipsInsideFit() {
        Rng rng = new Rng(4);
        Sequential m = model(rng);
        List<Double> after = new ArrayList<>();
        Callback probe = new Callback() {
            @Override
            public void onBeforeStep(TrainContext ctx) {
                after.add(dev.myelin.optim.GradNorms.totalNorm(ctx.optimizer().params(), 2));
            }
        };
        GradientClipper clipper = new GradientClipper(GradClipping.ByNorm.global(1e-3));
        History h = new Trainer(m, Loss.crossEntropy(), new Sgd(m.parameters(), Sgd.Options.of(0.1)))
                .addCallback(clipper).addCallback(probe).fit(data(rng), null, 2);
        for (double n : after) {
            assertTrue(n <= 1e-3 * (1 + 1e-5), "norm after clipping " + n);
        }
        EpochMetrics e = h.last();
        assertTrue(e.get("grad_norm_mean") > 1e-3, "the recorded norm is the one before clipping: " + e.get("grad_norm_mean"));
        assertTrue(e.get("grad_norm_max") >= e.get("grad_norm_mean"));
        assertTrue(e.header().endsWith(",grad_norm_mean,grad_norm_max"), e.header());
    }

    @Test
    void nonFiniteGradientStopsBeforeTheStepNamingTheParameter() {
        Rng rng = new Rng(5);
        Sequential m = model(rng);
        float[] w = m.parameters().get(2).data().clone();
        Callback poison = new Callback() {
            @Override
            public void onBeforeStep(TrainContext ctx) {
                ctx.optimizer().params().get(2).grad().data()[1] = Float.POSITIVE_INFINITY;
            }
        };
        History h = new Trainer(m, Loss.crossEntropy(), new Sgd(m.parameters(), Sgd.Options.of(0.1)))
                .addCallback(poison).addCallback(new GradientClipper(GradClipping.ByNorm.global(1))).fit(data(rng), null, 2);
        assertTrue(h.diverged());
        assertTrue(h.stopReason().contains("parameter '2.weight' (shape [2, 8]) has a NaN or infinite gradient"),
                h.stopReason());
        assertTrue(h.stopReason().contains("epoch 1, batch 1 of 4"), h.stopReason());
        assertArrayEquals(w, m.parameters().get(2).data(), "no update was applied");
        assertFalse(h.epochs().size() > 0);
    }
}
