package dev.myelin.train;

import dev.myelin.data.Batch;
import dev.myelin.data.BatchIterator;
import dev.myelin.data.DataLoader;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Module;
import dev.myelin.optim.Optimizer;
import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras-style {@code fit}/{@code evaluate}/{@code predict} over a PyTorch-style model. One
 * training step is the plain loop:
 * <pre>
 * zero_grad();  out = model(x);  loss = L(out, y) + Σ penalties;  loss.backward();
 * [callbacks: onBeforeStep, e.g. clipping];  optimizer.step();  [callbacks: onBatchEnd, e.g. constraints]
 * </pre>
 * A batch whose loss is NaN or infinite stops training at once, before its update, with the
 * reason in {@link History#stopReason()}; the parameters keep the last finite step's values.
 */
public final class Trainer {
    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final List<Callback> callbacks = new ArrayList<>();
    private final List<Regularizer> regularizers = new ArrayList<>();
    private long step;

    public Trainer(Module model, Loss loss, Optimizer optimizer) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
    }

    /** Adds a callback; callbacks run in the order added. */
    public Trainer addCallback(Callback c) {
        callbacks.add(c);
        return this;
    }

    /** Adds a term to the training loss (see {@link Regularizer}). */
    public Trainer addRegularizer(Regularizer r) {
        regularizers.add(r);
        return this;
    }

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Optimizer steps taken so far. */
    public long step() {
        return step;
    }

    /** Trains for {@code epochs} epochs; {@code validation} may be null. */
    public History fit(DataLoader train, DataLoader validation, int epochs) {
        History history = new History();
        TrainContext ctx = new TrainContext(model, optimizer, epochs);
        callbacks.forEach(c -> c.onTrainBegin(ctx));
        for (int epoch = 1; epoch <= epochs; epoch++) {
            final int e = epoch;
            callbacks.forEach(c -> c.onEpochBegin(ctx, e));
            EpochMetrics m = runEpoch(ctx, train, validation, epoch, history);
            if (m == null) {
                break;
            }
            history.add(m);
            callbacks.forEach(c -> c.onEpochEnd(ctx, m));
            if (ctx.stopReason() != null) {
                history.stop(ctx.stopReason(), false);
                break;
            }
        }
        callbacks.forEach(c -> c.onTrainEnd(ctx, history));
        return history;
    }

    /** One epoch; returns null when the loss diverged (and records why in the history). */
    private EpochMetrics runEpoch(TrainContext ctx, DataLoader train, DataLoader validation, int epoch, History history) {
        model.train();
        long t0 = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        int samples = 0;
        int batches = train.numBatches();
        int b = 0;
        double lr = optimizer.lr();
        double penaltySum = 0;
        try (BatchIterator it = train.epoch(epoch - 1)) {
            while (it.hasNext()) {
                Batch batch = it.next();
                optimizer.zeroGrad();
                Tensor x = needsInputGradient() ? batch.x().detach().requiresGrad(true) : batch.x();
                Tensor out = model.forward(x);
                Tensor l = loss.apply(out, batch.y());
                double lv = l.item();
                Tensor objective = l;
                double pv = 0;
                for (Regularizer r : regularizers) {
                    Tensor p = r.penalty(model, x, out);
                    pv += p.item();
                    objective = objective.add(p);
                }
                if (!Double.isFinite(lv) || !Double.isFinite(pv)) {
                    history.stop((Double.isFinite(lv) ? "the regularization penalty became " + pv : "loss became " + lv)
                            + " at epoch " + epoch + ", batch " + (b + 1) + " of " + batches
                            + " (step " + (step + 1) + "); training stopped before applying that update. "
                            + "Try a lower learning rate, gradient clipping, or batch normalization.", true);
                    return null;
                }
                objective.backward();
                callbacks.forEach(c -> c.onBeforeStep(ctx));
                optimizer.step();
                step++;
                int n = batch.size();
                lossSum += lv * n;
                penaltySum += pv * n;
                correct += Metrics.correct(out, batch.y());
                samples += n;
                b++;
                final int bi = b;
                callbacks.forEach(c -> c.onBatchEnd(ctx, epoch, bi, batches, lv, n));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Evaluation val = validation == null ? null : evaluate(validation);
        boolean classify = Metrics.isClassification(train);
        Map<String, Double> extra = new LinkedHashMap<>();
        if (!regularizers.isEmpty()) {
            extra.put("penalty", penaltySum / Math.max(1, samples));
        }
        callbacks.forEach(c -> c.collectMetrics(ctx, epoch, extra));
        return new EpochMetrics(epoch, step, lr, lossSum / Math.max(1, samples),
                classify ? (double) correct / Math.max(1, samples) : Double.NaN,
                val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(),
                seconds, samples / Math.max(1e-9, seconds), extra);
    }

    private boolean needsInputGradient() {
        return regularizers.stream().anyMatch(Regularizer::needsInputGradient);
    }

    /** Mean loss and accuracy in evaluation mode, without recording a graph. */
    public Evaluation evaluate(DataLoader data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long correct = 0;
        int samples = 0;
        try (GradMode.Scope s = GradMode.noGrad(); BatchIterator it = data.epoch(0)) {
            while (it.hasNext()) {
                Batch batch = it.next();
                Tensor out = model.forward(batch.x());
                lossSum += loss.apply(out, batch.y()).item() * batch.size();
                correct += Metrics.correct(out, batch.y());
                samples += batch.size();
            }
        } finally {
            model.train(wasTraining);
        }
        boolean classify = Metrics.isClassification(data);
        return new Evaluation(lossSum / Math.max(1, samples), classify ? (double) correct / Math.max(1, samples) : Double.NaN, samples);
    }

    /** The model's outputs for {@code x} in evaluation mode. */
    public Tensor predict(Tensor x) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (GradMode.Scope s = GradMode.noGrad()) {
            return model.forward(x);
        } finally {
            model.train(wasTraining);
        }
    }
}
