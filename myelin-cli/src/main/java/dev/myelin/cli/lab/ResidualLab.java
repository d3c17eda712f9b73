package dev.myelin.cli.lab;

import dev.myelin.cli.report.Chart;
import java.util.LinkedHashMap;
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
 * network trains at least as well as its shallower twin. The runs are
 * {@code examples/lab/residual/*.yaml}.
 */
public final class ResidualLab {
    /** The depths 6n + 2 of the two pairs, as the runs are named. */
    private static final int SHALLOW = 8;
    private static final int DEEP = 20;

    /** The lab: plain and residual twins at depths 8 and 20, and quick mode's overrides. */
    public static final ConfigLab LAB = new ConfigLab("residual",
            "plain CNNs vs residual twins at depths 8 and 20 on Fashion-MNIST (He et al. 2015, Fig. 4)",
            List.of("plain-" + SHALLOW, "resnet-" + SHALLOW, "plain-" + DEEP, "resnet-" + DEEP),
            List.of("data.train_limit=192", "data.validation=0.33333", "data.test_limit=64", "epochs=1"), List.of(),
            ResidualLab::verdict);

    private ResidualLab() {
    }

    private static String verdict(LabContext ctx, List<LabRun> runs, Table table) throws Exception {
        Map<String, Double> finals = new LinkedHashMap<>();
        Chart loss = Chart.of("training loss (running mean)", "iteration", "training loss");
        Chart error = Chart.of("validation error", "epoch", "validation error");
        for (LabRun r : runs) {
            int perEpoch = r.stepLosses().length / Math.max(1, r.history().epochs().size());
            double[][] smooth = StepLosses.smooth(r.stepLosses(), Math.max(1, perEpoch / 8));
            loss.line(r.name(), smooth[0], smooth[1]);
            double[] epochs = table.column(r.name(), "epoch");
            double[] val = table.column(r.name(), "val_accuracy");
            double[] err = new double[val.length];
            java.util.Arrays.setAll(err, i -> 1 - val[i]);
            error.line(r.name(), epochs, err);
            finals.put(r.name() + " train_loss", r.finalTrainLoss());
            finals.put(r.name() + " val_error", 1 - r.last().valAccuracy());
        }
        Chart.save(ctx.file("residual.png"), loss, error);
        finals.forEach((k, v) -> ctx.summary().put(k.replace(' ', '_'), v));
        return verdict(finals, SHALLOW, DEEP);
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
}
