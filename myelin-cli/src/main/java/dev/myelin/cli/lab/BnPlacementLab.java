package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Splits;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Adam;
import dev.myelin.tensor.Rng;
import dev.myelin.train.History;
import dev.myelin.train.Trainer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab bn-placement}: the Fashion-MNIST MLP of workload A (784-256-256-10, ReLU,
 * Dropout 0.2, Adam lr 1e-3, batch 128; pixels standardized with the training mean and std) with
 * BatchNorm1d before the ReLU (workload A itself), after the ReLU, and without BatchNorm. All three
 * start from the same Linear weights and see the same batches.
 *
 * <p>The lectures (training-dnns-tricks): the original paper put BN before the activation, "the
 * 'after' version is more intuitive", and "both are used in practice and debatable which one is
 * more effective". By default the runs use 20,000 training images and 5 epochs (about a minute per
 * run on two cores); {@code --set train=60000 --set epochs=10} runs workload A in full.
 */
public final class BnPlacementLab implements Experiment {
    private static final int[] HIDDEN = {256, 256};

    @Override
    public String name() {
        return "bn-placement";
    }

    @Override
    public String description() {
        return "Fashion-MNIST MLP: BatchNorm1d before vs after ReLU vs none, training loss and test accuracy per epoch";
    }

    @Override
    public Map<String, String> settings() {
        return Map.of("train", "training images (default 20000; 60000 for all)",
                "epochs", "epochs (default 5; workload A uses 10)",
                "test", "test images (default 10000, all)");
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        int train = ctx.intSetting("train", ctx.quick() ? 2000 : 20_000, 128);
        int test = ctx.intSetting("test", ctx.quick() ? 1000 : 10_000, 1);
        int epochs = ctx.intSetting("epochs", ctx.quick() ? 2 : 5, 1);
        Splits data = LabData.fashion(ctx, train, 0, test);
        ctx.log("Fashion-MNIST: %d training / %d test images, 784-256-256-10, Dropout 0.2, Adam lr 1e-3, batch 128,"
                + " %d epochs", data.train().size(), data.test().size(), epochs);
        Rng rng = ctx.rng();
        Table table = new Table();
        ObjectNode runs = ctx.summary().putObject("runs");
        Map<BnMlp.Placement, History> histories = new EnumMap<>(BnMlp.Placement.class);
        for (BnMlp.Placement p : BnMlp.Placement.values()) {
            Sequential model = BnMlp.build(784, HIDDEN, 10, p, 0.2, true, rng.split("model"));
            Trainer t = new Trainer(model, Loss.crossEntropy(), new Adam(model.parameters(), Adam.Options.of(1e-3)))
                    .addCallback(new EpochLog(ctx, p.run, "test"));
            History h = t.fit(new DataLoader(data.train(), 128, rng.split("shuffle")),
                    new DataLoader(data.test(), 1000), epochs);
            LabRuns.addEpochs(table, p.run, h);
            LabRuns.summarize(runs.putObject(p.run), h);
            histories.put(p, h);
        }
        table.write(ctx.file("metrics.csv"));
        Chart.save(ctx.file("bn-placement.png"),
                table.chart("training loss (n=" + data.train().size() + ", Adam 1e-3)", "epoch", "train_loss",
                        "mean training loss"),
                table.chart("test error", "epoch", "test_error", "test error"));
        ctx.summary().put("train_size", data.train().size()).put("test_size", data.test().size()).put("epochs", epochs);
        return verdict(histories);
    }

    /**
     * Final test accuracy and training loss of each placement. The yardstick for "ahead" is how much
     * test accuracy moved between the last two epochs of any run: a gap smaller than that is no ranking.
     */
    private static String verdict(Map<BnMlp.Placement, History> runs) {
        StringBuilder b = new StringBuilder("final test accuracy / training loss:");
        double wobble = 0;
        BnMlp.Placement best = null;
        for (Map.Entry<BnMlp.Placement, History> e : runs.entrySet()) {
            History h = e.getValue();
            b.append(String.format(Locale.ROOT, " %s %.4f / %.4f;", e.getKey().run, accuracy(h, 1),
                    h.epochs().isEmpty() ? Double.NaN : h.last().trainLoss()));
            if (h.epochs().size() > 1) {
                wobble = Math.max(wobble, Math.abs(accuracy(h, 1) - accuracy(h, 2)));
            }
            if (best == null || accuracy(h, 1) > accuracy(runs.get(best), 1)) {
                best = e.getKey();
            }
        }
        double before = accuracy(runs.get(BnMlp.Placement.BEFORE), 1);
        double after = accuracy(runs.get(BnMlp.Placement.AFTER), 1);
        double gap = Math.abs(before - after);
        b.setLength(b.length() - 1);
        b.append(String.format(Locale.ROOT, "%nbest test accuracy: %s. Before vs after ReLU differ by %.2f points;"
                + " test accuracy moved up to %.2f points between the last two epochs, so ", best.run, gap * 100,
                wobble * 100));
        b.append(gap > wobble
                ? String.format(Locale.ROOT, "on this seed BN %s the ReLU is ahead.", before > after ? "before" : "after")
                : "on this seed neither placement is clearly ahead.");
        b.append(" The lecture: \"both are used in practice and debatable which one is more effective\".");
        return b.toString();
    }

    /** Test accuracy {@code fromEnd} epochs from the end (1 = last). */
    private static double accuracy(History h, int fromEnd) {
        var e = h.epochs();
        return e.size() < fromEnd ? Double.NaN : e.get(e.size() - fromEnd).valAccuracy();
    }
}
