package dev.myelin.cli.lab;

import dev.myelin.data.DataLoader;
import dev.myelin.data.Splits;
import dev.myelin.nn.Activation;
import dev.myelin.nn.AdaptiveAvgPool2d;
import dev.myelin.nn.BatchNorm2d;
import dev.myelin.nn.Conv2d;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Module;
import dev.myelin.nn.ResNet;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.Shortcut;
import dev.myelin.nn.init.Init;
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.Conv2dSpec;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.History;
import dev.myelin.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code lab residual}: plain CNNs against their residual twins at two depths (He et al. 2015,
 * "Deep Residual Learning for Image Recognition", Fig. 4 and 6; Fleuret, "EE-559 Deep Learning, 6. Going deeper", "Residual
 * networks"). Each network is the CIFAR ResNet of §4.2 with 6n + 2 layers (3×3 stem conv-BN-ReLU,
 * three stages of n blocks of two 3×3 conv-BN, widths 8/16/32, stride 2 between stages, global
 * average pooling, Linear); the plain twin drops the shortcuts, the residual one adds them with
 * the parameter-free shortcut (option A), so both have exactly the same parameters. The claim:
 * the deeper plain network trains worse than the shallower one, while the deeper residual
 * network trains at least as well as its shallower twin.
 */
public final class ResidualLab implements Experiment {
    private static final int[] WIDTHS = {8, 16, 32};

    /** Sizes: training and validation images, epochs, the two depths' n (depth 6n + 2), loss points per epoch. */
    private record Plan(int train, int validation, int epochs, int shallow, int deep, int points) {
    }

    @Override
    public String name() {
        return "residual";
    }

    @Override
    public String description() {
        return "plain CNNs vs residual twins at depths 8 and 20 on Fashion-MNIST (He et al. 2015, Fig. 4)";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        Plan p = ctx.quick() ? new Plan(128, 64, 1, 1, 2, 2) : new Plan(2000, 500, 3, 1, 3, 8);
        Splits data = LabData.fashion(ctx, p.train() + p.validation(), p.validation(), 1);
        Table table = new Table();
        Map<String, Double> finals = new java.util.LinkedHashMap<>();
        for (int n : new int[] {p.shallow(), p.deep()}) {
            for (boolean residual : new boolean[] {false, true}) {
                String run = (residual ? "resnet-" : "plain-") + (6 * n + 2);
                Rng rng = ctx.rng().split(run);
                Module model = residual ? residualNet(n, rng) : plainNet(n, rng);
                History h = train(ctx, run, model, data, p, table, rng);
                finals.put(run + " train_loss", h.epochs().get(h.epochs().size() - 1).trainLoss());
                finals.put(run + " val_error", 1 - h.epochs().get(h.epochs().size() - 1).valAccuracy());
                table.add(run, h);
            }
        }
        table.write(ctx.file("metrics.csv"));
        Chart.save(ctx.file("residual.png"),
                table.chart("training loss (running mean)", "iteration", "smoothed_loss", "training loss"),
                table.chart("validation error", "epoch", "val_error", "validation error"));
        finals.forEach((k, v) -> ctx.summary().put(k.replace(' ', '_'), v));
        return verdict(finals, 6 * p.shallow() + 2, 6 * p.deep() + 2);
    }

    /** Stem, n basic blocks per stage with option-A shortcuts, pooling, Linear. */
    static Module residualNet(int n, Rng rng) {
        return new ResNet(1, new ResNet.Config(WIDTHS, new int[] {n, n, n}, ResNet.Block.BASIC, Shortcut.PAD, false, 1.0),
                10, rng);
    }

    /** The same layers without shortcuts: 6n + 1 conv-BN-ReLU, pooling, Linear; ResNet's initialization. */
    static Module plainNet(int n, Rng rng) {
        List<Module> layers = new ArrayList<>();
        int in = 1;
        for (int s = 0; s < WIDTHS.length; s++) {
            for (int c = 0; c < 2 * n + (s == 0 ? 1 : 0); c++) {
                int stride = s > 0 && c == 0 ? 2 : 1;
                layers.add(new Conv2d(in, WIDTHS[s], 3, 3, Conv2dSpec.of(stride, 1, 1, 1), false, rng.split("conv" + layers.size())));
                layers.add(new BatchNorm2d(WIDTHS[s]));
                layers.add(Activation.relu());
                in = WIDTHS[s];
            }
        }
        layers.add(AdaptiveAvgPool2d.global());
        layers.add(new Flatten());
        layers.add(new Linear(in, 10, rng.split("fc")));
        Sequential net = new Sequential(layers);
        Rng init = rng.split("init");
        net.namedParameters().forEach((k, t) -> {
            if (t.dim() == 4) {
                Init.kaimingNormal(t, 0, Init.FanMode.FAN_OUT, "relu", init.split(k));
            }
        });
        return net;
    }

    private static History train(LabContext ctx, String run, Module model, Splits data, Plan p, Table table, Rng rng) {
        Trainer t = new Trainer(model, Loss.crossEntropy(), new Sgd(model.parameters(), new Sgd.Options(0.05, 0.9, 0, 0, false)));
        DataLoader train = new DataLoader(data.train(), 64, rng.split("shuffle"));
        int every = Math.max(1, train.numBatches() / p.points());
        t.addCallback(new EpochLog(ctx, run)).addCallback(new SmoothedLoss(table, run, every, train.numBatches()));
        History h = t.fit(train, new DataLoader(data.validation(), 500, false, false, 2, null), p.epochs());
        for (var m : h.epochs()) {
            table.add(run, Map.of("epoch", m.epoch(), "val_error", 1 - m.valAccuracy()));
        }
        return h;
    }

    private static String verdict(Map<String, Double> f, int shallow, int deep) {
        double plainS = f.get("plain-" + shallow + " train_loss");
        double plainD = f.get("plain-" + deep + " train_loss");
        double resS = f.get("resnet-" + shallow + " train_loss");
        double resD = f.get("resnet-" + deep + " train_loss");
        boolean degrades = plainD > plainS;
        boolean residualHelps = resD < plainD;
        return String.format(Locale.ROOT, "final training loss: plain-%d %.4f, plain-%d %.4f; resnet-%d %.4f, resnet-%d %.4f%n",
                shallow, plainS, deep, plainD, shallow, resS, deep, resD)
                + (degrades && residualHelps
                ? "As in He et al. (Fig. 4): the deeper plain network trains worse than the shallower one, and its"
                + " residual twin of the same depth trains better."
                : "Not the lecture's picture in this run: " + (degrades ? "" : "the deeper plain network did not train"
                + " worse than the shallower one; ") + (residualHelps ? "" : "the residual twin did not train better"
                + " than the plain one; ") + "more epochs or depth may be needed.");
    }

    /** Adds a row {iteration, smoothed_loss} every {@code every} batches: the mean loss since the last row. */
    private static final class SmoothedLoss implements dev.myelin.train.Callback {
        private final Table table;
        private final String run;
        private final int every;
        private final int perEpoch;
        private double sum;
        private int count;

        SmoothedLoss(Table table, String run, int every, int perEpoch) {
            this.table = table;
            this.run = run;
            this.every = every;
            this.perEpoch = perEpoch;
        }

        @Override
        public void onBatchEnd(dev.myelin.train.TrainContext ctx, int epoch, int batch, int batches, double loss, int samples) {
            sum += loss;
            count++;
            if (count == every) {
                double iteration = (epoch - 1) * (double) perEpoch + batch + 1;
                table.add(run, Map.of("iteration", iteration, "smoothed_loss", sum / count));
                sum = 0;
                count = 0;
            }
        }
    }
}
