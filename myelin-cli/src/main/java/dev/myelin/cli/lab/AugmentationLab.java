package dev.myelin.cli.lab;

import dev.myelin.data.Dataset;
import dev.myelin.data.ArrayDataset;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Splits;
import dev.myelin.data.augment.Augment;
import dev.myelin.data.augment.Crop;
import dev.myelin.data.augment.Flip;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Conv2d;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.MaxPool2d;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Adam;
import dev.myelin.tensor.Rng;
import dev.myelin.train.Callback;
import dev.myelin.train.History;
import dev.myelin.train.TrainContext;
import dev.myelin.train.Trainer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code lab augmentation}: the same small CNN trained on 10,000 Fashion-MNIST images with and
 * without data augmentation (random horizontal flip, random crop with padding 2: a shift of up
 * to 2 pixels). Sun, "Training DNNs: Tricks": augmentation enlarges the training set with
 * label-preserving transformations, a regularizer; the claim measured here is that it narrows
 * the gap between training and test accuracy. Training accuracy is measured each epoch on
 * clean (not augmented) training images in eval mode, so both runs are measured alike.
 */
public final class AugmentationLab implements Experiment {
    private record Plan(int train, int test, int epochs, int measured) {
    }

    @Override
    public String name() {
        return "augmentation";
    }

    @Override
    public String description() {
        return "a small CNN with and without flip + crop augmentation on 10,000 Fashion-MNIST images: the train/test gap";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        Plan p = ctx.quick() ? new Plan(128, 128, 2, 128) : new Plan(10_000, 2_000, 8, 2_000);
        Splits data = LabData.fashion(ctx, p.train(), 0, p.test());
        Table table = new Table();
        Map<String, double[]> last = new LinkedHashMap<>();
        for (boolean augment : new boolean[] {false, true}) {
            String run = augment ? "augmented" : "plain";
            History h = train(ctx, run, augment, data, p);
            table.add(run, h);
            var m = h.epochs().get(h.epochs().size() - 1);
            last.put(run, new double[] {m.get("clean_train_accuracy"), m.valAccuracy()});
            for (var e : h.epochs()) {
                table.add(run, Map.of("epoch", e.epoch(), "gap", e.get("clean_train_accuracy") - e.valAccuracy()));
            }
        }
        table.write(ctx.file("metrics.csv"));
        Chart.save(ctx.file("augmentation.png"),
                table.chart("training accuracy (clean images)", "epoch", "clean_train_accuracy", "accuracy"),
                table.chart("test accuracy", "epoch", "val_accuracy", "accuracy"),
                table.chart("gap: training - test accuracy", "epoch", "gap", "accuracy gap"));
        last.forEach((run, v) -> ctx.summary().put(run + "_train_accuracy", v[0]).put(run + "_test_accuracy", v[1])
                .put(run + "_gap", v[0] - v[1]));
        return verdict(last, p.epochs());
    }

    /** Conv(1→16, 3x3, pad 1)-ReLU-MaxPool2, Conv(16→32, 3x3, pad 1)-ReLU-MaxPool2, Linear(1568→64)-ReLU-Linear(64→10). */
    static Sequential cnn(Rng rng) {
        return new Sequential(new Conv2d(1, 16, 3, 1, 1, rng.split("c1")), Activation.relu(), new MaxPool2d(2),
                new Conv2d(16, 32, 3, 1, 1, rng.split("c2")), Activation.relu(), new MaxPool2d(2), new Flatten(),
                new Linear(32 * 7 * 7, 64, rng.split("l1")), Activation.relu(), new Linear(64, 10, rng.split("l2")));
    }

    private static History train(LabContext ctx, String run, boolean augment, Splits data, Plan p) {
        Rng rng = ctx.rng().split("model");
        Sequential model = cnn(rng);
        Trainer t = new Trainer(model, Loss.crossEntropy(), new Adam(model.parameters(), Adam.Options.of(1e-3)));
        DataLoader train = new DataLoader(data.train(), 128, ctx.rng().split("shuffle"));
        if (augment) {
            train.setAugment(Augment.of(new Flip(0.5), new Crop(2, 1.0)).withBackground(black(data.train())),
                    ctx.rng().split("augment"));
        }
        DataLoader clean = new DataLoader(ArrayDataset.firstOf(data.train(), p.measured()), 1000, false, false, 2, null);
        t.addCallback(new EpochLog(ctx, run)).addCallback(new Callback() {
            @Override
            public void collectMetrics(TrainContext c, int epoch, Map<String, Double> into) {
                into.put("clean_train_accuracy", t.evaluate(clean).accuracy());
            }
        });
        return t.fit(train, new DataLoader(data.test(), 1000, false, false, 2, null), p.epochs());
    }

    /** A black pixel in standardized units: the smallest value of the first image (Fashion-MNIST's border is 0). */
    private static float[] black(Dataset train) {
        float[] x = new float[train.featureSize()];
        train.features(0, x, 0);
        float min = Float.POSITIVE_INFINITY;
        for (float v : x) {
            min = Math.min(min, v);
        }
        java.util.Arrays.fill(x, min);
        return x;
    }


    private static String verdict(Map<String, double[]> last, int epochs) {
        double[] plain = last.get("plain");
        double[] aug = last.get("augmented");
        double gapPlain = plain[0] - plain[1];
        double gapAug = aug[0] - aug[1];
        return String.format(Locale.ROOT, "after %d epochs: without augmentation train %.4f, test %.4f (gap %.4f); with"
                + " flip + crop train %.4f, test %.4f (gap %.4f)%n", epochs, plain[0], plain[1], gapPlain, aug[0], aug[1], gapAug)
                + (gapAug < gapPlain
                ? "As the lecture says: augmentation regularizes, the gap between training and test accuracy narrows"
                + (aug[1] > plain[1] ? " and test accuracy improves." : " (test accuracy did not improve in this run).")
                : "Not the lecture's picture in this run: augmentation did not narrow the train/test gap.");
    }
}
