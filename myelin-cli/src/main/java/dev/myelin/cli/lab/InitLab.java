package dev.myelin.cli.lab;

import dev.myelin.cli.report.Chart;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.run.PreparedData;
import dev.myelin.data.ArrayDataset;
import dev.myelin.data.Batch;
import dev.myelin.data.DataLoader;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Autograd;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.Callback;
import dev.myelin.train.TrainContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code myelin lab init}: a deep plain MLP (30 hidden layers of 128 units on Fashion-MNIST)
 * with tanh and with ReLU, under six initializations, measured at step 0 (the standard
 * deviation of every hidden layer's activations and of the loss gradient with respect to its
 * pre-activations, on one batch) and over a short training run:
 * <pre>
 * normal       N(0, 1)
 * xavier       N(0, 2/(fan_in + fan_out))               Glorot &amp; Bengio 2010
 * kaiming      N(0, 2/fan_in)                           He et al. 2015
 * orthogonal   gain·Q, gain 5/3 (tanh) or √2 (ReLU)     Saxe et al. 2014; torch's calculate_gain
 * lsuv         orthonormal, then unit output variance   Mishkin &amp; Matas 2016
 * looks-linear [W₀, −W₀] after CReLU, W₀ orthogonal     Balduzzi et al. 2017 (a linear map at step 0)
 * </pre>
 * The lectures (Huang, "Training Deep Neural Networks", "Deep Feedforward Networks" (Strojové učení II) "Vanishing
 * &amp; exploding gradients"): the backward pass multiplies one Jacobian per layer, so
 * gradients shrink or grow geometrically with depth unless the initialization keeps each
 * layer's scale at 1. Biases are zero ({@code bias_init: zeros}), so the weights alone set the
 * scale. The runs are {@code examples/lab/init/*.yaml}; the step-0 statistics are the
 * {@link StepZero} measurement, taken when training begins (after LSUV, before any step).
 */
public final class InitLab {
    private static final List<String> INITS = List.of("normal", "xavier", "kaiming", "orthogonal", "lsuv");
    private static final String LOOKS_LINEAR = "looks-linear-crelu";
    /** The training images the step-0 statistics are measured on (the first ones). */
    private static final int PROBE = 512;

    /** The lab: eleven runs, quick mode's overrides and the step-0 statistics. */
    public static final ConfigLab LAB = new ConfigLab("init",
            "a 30-layer tanh/ReLU MLP under N(0,1), Xavier, Kaiming, orthogonal, LSUV and looks-linear+CReLU:"
                    + " per-layer activation and gradient std at step 0, and training",
            runs(), List.of("data.train_limit=600", "epochs=1"), List.of((t, d) -> new StepZero(d)),
            InitLab::verdict);

    private InitLab() {
    }

    private static List<String> runs() {
        List<String> all = new ArrayList<>();
        for (String act : List.of("tanh", "relu")) {
            INITS.forEach(i -> all.add(act + "-" + i));
        }
        all.add(LOOKS_LINEAR);
        return all;
    }

    private static String verdict(LabContext ctx, List<LabRun> runs, Table table) throws Exception {
        ObjectNode results = ctx.summary().withObject("/runs");
        int depth = 0;
        for (LabRun r : runs) {
            StepZero s = r.metric(StepZero.class);
            depth = s.activationStd.length;
            ObjectNode o = (ObjectNode) results.get(r.name());
            for (int l = 0; l < depth; l++) {
                Map<String, Double> row = new LinkedHashMap<>();
                row.put("layer", (double) (l + 1));
                row.put("activation_std", s.activationStd[l]);
                row.put("gradient_std", s.gradientStd[l]);
                table.add(r.name(), row);
            }
            // epoch 0 of the training curves: the loss and error before any step (on the probe batch)
            table.add(r.name(), Map.of("epoch", 0.0, "train_loss", s.loss, "train_error", s.error));
            table.addPerEpoch(r.name(), r.history(), m -> Map.of("train_loss", m.trainLoss(),
                    "train_error", 1 - m.trainAccuracy()));
            LabContext.number(o, "step0_loss", s.loss);
            o.put("activation_std_first", s.activationStd[0]);
            o.put("activation_std_last", s.activationStd[depth - 1]);
            o.put("gradient_std_first", s.gradientStd[0]);
            o.put("gradient_std_last", s.gradientStd[depth - 1]);
            LabContext.number(o, "final_train_error", r.last() == null ? Double.NaN : 1 - r.last().trainAccuracy());
        }
        charts(ctx, table);
        return verdict(results, depth);
    }

    /**
     * One forward and backward pass on the first {@value #PROBE} training images when training
     * begins: per hidden layer l, the std of its activations h_l and of ∂L/∂z_l, z_l = W_l·h_(l−1)
     * its pre-activations; and the loss and error of that batch.
     */
    static final class StepZero implements Callback {
        private final Batch probe;
        private double[] activationStd;
        private double[] gradientStd;
        private double loss;
        private double error;

        /** Takes the probe batch now, so that the run's data is not kept once training ends. */
        StepZero(PreparedData data) {
            this.probe = new DataLoader(ArrayDataset.firstOf(data.train(), PROBE), PROBE).iterator().next();
        }

        @Override
        public void onTrainBegin(TrainContext ctx) {
            Sequential model = (Sequential) ctx.model();
            List<Tensor> pre = new ArrayList<>();
            List<Tensor> act = new ArrayList<>();
            int outputLayer = model.layers().size() - 1;
            Tensor logits = model.forward(probe.x(), (i, layer, out) -> {
                if (layer instanceof Linear && i != outputLayer) {
                    pre.add(out);
                } else if (layer instanceof Activation) {
                    act.add(out);
                }
            });
            Tensor l = Loss.crossEntropy().apply(logits, probe.y());
            List<Tensor> grads = Autograd.grad(l, pre, null, false);
            activationStd = new double[pre.size()];
            gradientStd = new double[pre.size()];
            for (int k = 0; k < pre.size(); k++) {
                activationStd[k] = std(act.get(k));
                gradientStd[k] = std(grads.get(k));
            }
            loss = l.item();
            error = error(logits, probe.y());
        }
    }

    private static void charts(LabContext ctx, Table table) throws java.io.IOException {
        List<Chart> std = new ArrayList<>();
        List<Chart> curves = new ArrayList<>();
        for (String act : List.of("tanh", "relu")) {
            List<String> runs = new ArrayList<>();
            INITS.forEach(i -> runs.add(act + "-" + i));
            if (act.equals("relu")) {
                runs.add(LOOKS_LINEAR);
            }
            std.add(panel(table, runs, act + ": activation std per layer, step 0", "layer", "activation_std").logY());
            std.add(panel(table, runs, act + ": std of dL/dz per layer, step 0", "layer", "gradient_std").logY());
            curves.add(panel(table, runs, act + ": training error (epoch 0: the probe batch at step 0)", "epoch",
                    "train_error"));
        }
        Chart.save(ctx.file("init_std.png"), 2, std);
        Chart.save(ctx.file("init_training.png"), 2, curves);
    }

    private static Chart panel(Table table, List<String> runs, String title, String x, String y) {
        Chart c = Chart.of(title, x, y.replace('_', ' '));
        for (String run : runs) {
            c.line(run, table.column(run, x), table.column(run, y));
        }
        return c;
    }

    /** Per config: the gradient std's change from the last hidden layer back to the first, and the training loss. */
    private static String verdict(ObjectNode results, int depth) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "step 0: std of dL/dz at hidden layer 1 over"
                + " layer %d, and per layer (level: within 100x over the depth; below: vanishing towards the input,"
                + " above: exploding); activation std at layer %d; training loss after the run:", depth, depth));
        Map<String, List<String>> groups = new LinkedHashMap<>();
        double[] best = {Double.POSITIVE_INFINITY};
        String[] bestName = {"none"};
        results.fieldNames().forEachRemaining(name -> {
            ObjectNode r = (ObjectNode) results.get(name);
            double ratio = r.get("gradient_std_first").asDouble() / r.get("gradient_std_last").asDouble();
            b.append(String.format(Locale.ROOT, "%n  %-19s gradient %-9s (%-6s per layer, %-9s)  activation std %-9s  loss %s",
                    name, fmt(ratio), fmt(Math.pow(ratio, 1.0 / (depth - 1))), trend(ratio),
                    fmt(r.get("activation_std_last").asDouble()),
                    r.get("diverged").asBoolean() ? "diverged (NaN)" : fmt(r.get("final_train_loss").asDouble())));
            groups.computeIfAbsent(trend(ratio), k -> new ArrayList<>()).add(name);
            double loss = r.get("diverged").asBoolean() ? Double.NaN : r.get("final_train_loss").asDouble();
            if (loss < best[0]) {
                best[0] = loss;
                bestName[0] = name;
            }
        });
        groups.forEach((k, v) -> b.append(String.format(Locale.ROOT, "%n%s: %s", k, String.join(", ", v))));
        b.append(String.format(Locale.ROOT, "%nlowest training loss after the run: %s (%s)", bestName[0], fmt(best[0])));
        return b.toString();
    }

    /** Level within a factor of 100 over the whole depth; else vanishing or exploding. */
    private static String trend(double ratio) {
        if (!Double.isFinite(ratio)) {
            return "overflow";
        }
        return ratio < 0.01 ? "vanishing" : ratio > 100 ? "exploding" : "level";
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : String.valueOf(v);
    }


    /** The fraction of rows whose largest logit is not the label's. */
    private static double error(Tensor logits, Tensor labels) {
        float[] predicted = logits.argmax(1, false).data();
        int wrong = 0;
        for (int i = 0; i < predicted.length; i++) {
            wrong += predicted[i] != labels.data()[i] ? 1 : 0;
        }
        return (double) wrong / predicted.length;
    }

    private static double std(Tensor t) {
        double s = 0;
        for (float v : t.data()) {
            s += v;
        }
        double mean = s / t.numel();
        double ss = 0;
        for (float v : t.data()) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / t.numel());
    }
}
