package dev.myelin.cli.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.data.Batch;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Splits;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.init.Init;
import dev.myelin.train.Lsuv;
import dev.myelin.optim.Sgd;
import dev.myelin.tensor.Autograd;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.EpochMetrics;
import dev.myelin.train.History;
import dev.myelin.train.Trainer;
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
 * layer's scale at 1. Biases are zero, so the weights alone set the scale.
 */
public final class InitLab implements Experiment {
    private static final List<String> INITS = List.of("normal", "xavier", "kaiming", "orthogonal", "lsuv");
    private static final String LOOKS_LINEAR = "looks-linear-crelu";

    private record Setup(int train, int depth, int width, int probe, int epochs, int batch, double lr) {
    }

    /** One network of the comparison: its activation (tanh, relu, crelu) and initialization. */
    private record Config(String activation, String init) {
        String name() {
            return activation.equals("crelu") ? LOOKS_LINEAR : activation + "-" + init;
        }
    }

    @Override
    public String name() {
        return "init";
    }

    @Override
    public String description() {
        return "a 30-layer tanh/ReLU MLP under N(0,1), Xavier, Kaiming, orthogonal, LSUV and looks-linear+CReLU:"
                + " per-layer activation and gradient std at step 0, and training";
    }

    @Override
    public String run(LabContext ctx) throws Exception {
        Setup s = ctx.quick() ? new Setup(256, 8, 16, 64, 1, 64, 0.01) : new Setup(6000, 30, 128, 512, 3, 128, 0.01);
        Splits data = LabData.fashion(ctx, s.train(), 0, 100);
        Batch probe = new DataLoader(data.train(), s.probe(), ctx.rng().split("probe")).iterator().next();
        ctx.log("%d hidden layers of %d units; step-0 statistics on %d images; then SGD lr %.3g momentum 0.9, batch %d,"
                + " %d epochs on %d images", s.depth(), s.width(), s.probe(), s.lr(), s.batch(), s.epochs(),
                data.train().size());
        Table table = new Table();
        ObjectNode results = ctx.summary().putObject("runs");
        for (Config c : configs()) {
            ObjectNode r = results.putObject(c.name());
            Sequential model = build(c, s, probe, ctx.rng().split(c.name()));
            stepZero(model, probe, c, table, r);
            train(ctx, s, data, model, c, table, r);
        }
        table.write(ctx.file("metrics.csv"));
        charts(ctx, table);
        return verdict(results, s.depth());
    }

    private static List<Config> configs() {
        List<Config> all = new ArrayList<>();
        for (String act : List.of("tanh", "relu")) {
            for (String init : INITS) {
                all.add(new Config(act, init));
            }
        }
        all.add(new Config("crelu", "looks-linear"));
        return all;
    }

    private static Sequential build(Config c, Setup s, Batch probe, Rng rng) {
        int[] widths = Mlp.widths(784, s.width(), s.depth(), 10);
        boolean crelu = c.activation().equals("crelu");
        Sequential model = Mlp.build(widths, crelu ? Activation::crelu
                : c.activation().equals("tanh") ? Activation::tanh : Activation::relu, crelu,
                (w, first, g) -> init(c, w, first, g), rng);
        if (c.init().equals("lsuv")) {
            Lsuv.apply(model, probe.x(), Lsuv.Options.defaults(), rng.split("lsuv"));
        }
        return model;
    }

    private static void init(Config c, Tensor w, boolean first, Rng rng) {
        switch (c.init()) {
            case "normal" -> Init.normal(w, 0, 1, rng);
            case "xavier" -> Init.xavierNormal(w, 1.0, rng);
            case "kaiming" -> Init.kaimingNormal(w, 0, Init.FanMode.FAN_IN, "relu", rng);
            case "orthogonal" -> Init.orthogonal(w, Init.gain(c.activation(), 0), rng);
            case "looks-linear" -> {
                if (first) {
                    Init.orthogonal(w, 1.0, rng);
                } else {
                    Init.looksLinear(w, 1.0, rng);
                }
            }
            default -> {
                // lsuv: Lsuv.apply sets every weight after the model is built
            }
        }
    }

    /**
     * One forward and backward pass on the probe batch: per hidden layer l, the std of its
     * activations h_l and of ∂L/∂z_l, z_l = W_l·h_(l−1) its pre-activations.
     */
    private static void stepZero(Sequential model, Batch probe, Config c, Table table, ObjectNode r) {
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
        Tensor loss = Loss.crossEntropy().apply(logits, probe.y());
        List<Tensor> grads = Autograd.grad(loss, pre, null, false);
        double[] gradStd = new double[pre.size()];
        for (int l = 0; l < pre.size(); l++) {
            gradStd[l] = std(grads.get(l));
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("layer", (double) (l + 1));
            row.put("activation_std", std(act.get(l)));
            row.put("gradient_std", gradStd[l]);
            table.add(c.name(), row);
        }
        LabContext.number(r, "step0_loss", loss.item());
        // epoch 0 of the training curves: the loss and error before any step (on the probe batch)
        Map<String, Double> start = new LinkedHashMap<>();
        start.put("epoch", 0.0);
        start.put("train_loss", (double) loss.item());
        start.put("train_error", error(logits, probe.y()));
        table.add(c.name(), start);
        r.put("activation_std_first", std(act.get(0)));
        r.put("activation_std_last", std(act.get(act.size() - 1)));
        r.put("gradient_std_first", gradStd[0]);
        r.put("gradient_std_last", gradStd[gradStd.length - 1]);
    }

    private static void train(LabContext ctx, Setup s, Splits data, Sequential model, Config c, Table table, ObjectNode r) {
        Sgd sgd = new Sgd(model.parameters(), new Sgd.Options(s.lr(), 0.9, 0, 0, false));
        Trainer t = new Trainer(model, Loss.crossEntropy(), sgd).addCallback(new EpochLog(ctx, c.name()));
        History h = t.fit(new DataLoader(data.train(), s.batch(), ctx.rng().split("shuffle")), null, s.epochs());
        for (EpochMetrics m : h.epochs()) {
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("epoch", (double) m.epoch());
            row.put("train_loss", m.trainLoss());
            row.put("train_error", 1 - m.trainAccuracy());
            table.add(c.name(), row);
        }
        r.put("diverged", h.diverged());
        if (h.diverged()) {
            r.put("stop_reason", h.stopReason());
        }
        if (h.epochs().isEmpty()) {
            r.putNull("final_train_loss");
            r.putNull("final_train_error");
        } else {
            LabContext.number(r, "final_train_loss", h.last().trainLoss());
            LabContext.number(r, "final_train_error", 1 - h.last().trainAccuracy());
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
