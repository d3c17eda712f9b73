package dev.myelin.train;

import dev.myelin.data.Batch;
import dev.myelin.data.BatchIterator;
import dev.myelin.data.DataLoader;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Module;
import dev.myelin.optim.NonFiniteGradientException;
import dev.myelin.optim.Optimizer;
import dev.myelin.tensor.GradMode;
import dev.myelin.tensor.StoragePool;
import dev.myelin.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras-style {@code fit}/{@code evaluate}/{@code predict} over a PyTorch-style model. One
 * training step is the plain loop:
 * <pre>
 * [callbacks: onBatchBegin, e.g. weight noise];
 * zero_grad();  out = model(x);  loss = L(out, y) + Σ penalties;  loss.backward();
 * [callbacks: onBeforeStep, e.g. clipping];  optimizer.step();  [callbacks: onBatchEnd, e.g. constraints]
 * </pre>
 * A batch whose loss is NaN or infinite stops training at once, before its update, with the
 * reason in {@link History#stopReason()}; the parameters keep the last finite step's values. So
 * does a {@link NonFiniteGradientException} from an {@code onBeforeStep} callback (gradient
 * clipping that finds a NaN or infinite gradient norm). After an epoch's last update the weights
 * and the loss are checked once more (see {@code afterLastUpdate}): an epoch whose last update
 * broke the model does not count, and no snapshot point follows it, so a checkpoint writer never
 * sees non-finite weights at an epoch's end.
 *
 * <p>Resuming: {@link #snapshot()} at a snapshot point captures everything but the weights, and
 * {@link #restore} makes the next {@link #fit} continue from it bit for bit
 * ({@link ModelCheckpoint} writes and reads such checkpoints).
 */
public final class Trainer {
    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final List<Callback> callbacks = new ArrayList<>();
    private final List<Regularizer> regularizers = new ArrayList<>();
    /** Storage recycled from step to step: no activation-sized allocation in steady state. */
    private StoragePool storage = new StoragePool();
    private long step;
    private TrainState pending;
    private History history = new History();
    private int epoch = 1;
    private int batch;
    private int batches;
    private EpochTotals totals = new EpochTotals(Double.NaN);
    private DataParallel parallel;

    private static final String ADVICE = "Try a lower learning rate, gradient clipping, or batch normalization.";

    /** A trainer that only evaluates and predicts ({@link #fit} needs an optimizer). */
    public Trainer(Module model, Loss loss) {
        this(model, loss, null);
    }

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

    /**
     * Replaces the pool the training steps lease their arrays from ({@code new StoragePool(0,
     * false)} keeps none, so every step allocates afresh); returns this.
     */
    public Trainer storagePool(StoragePool pool) {
        this.storage = java.util.Objects.requireNonNull(pool, "pool");
        return this;
    }

    /**
     * Trains as one replica of a data-parallel run (see {@link DataParallel}); the training
     * loader must be this replica's shard ({@link DataLoader#shard}). Returns this.
     */
    public Trainer dataParallel(DataParallel dp) {
        this.parallel = dp;
        return this;
    }

    /** The data-parallel seam, or null when this trainer trains alone. */
    public DataParallel dataParallel() {
        return parallel;
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

    /**
     * Makes the next {@link #fit} continue from {@code state}, a {@link #snapshot()} of a trainer
     * with the same model, optimizer, callbacks and data; the caller loads the model's weights
     * ({@link Module#loadStateDict}) from the same checkpoint. The resumed fit gives the same
     * bits as one that never stopped (same seed, same thread count): it restores the step, the
     * epoch and batch it stopped at, the epoch's running totals, the history, the optimizer's
     * state and exact learning rates, every random stream of the model, and the state of every
     * {@link Stateful} callback and regularizer.
     */
    public Trainer restore(TrainState state) {
        this.pending = state;
        return this;
    }

    /**
     * Everything but the model's weights that {@link #restore} needs to continue from here. Valid
     * at a snapshot point ({@link Callback#onSnapshotPoint}), where every callback has finished
     * the step or the epoch, and after {@link #fit} returns.
     */
    public TrainState snapshot() {
        TrainState s = new TrainState();
        TrainState t = s.child("trainer");
        t.put("step", step).put("epoch", epoch).put("batch", batch).put("batches", batches)
                .put("epoch_lr", totals.lr).put("loss_sum", totals.lossSum).put("penalty_sum", totals.penaltySum)
                .put("correct", totals.correct).put("samples", totals.samples).put("seconds", totals.seconds);
        TrainState h = s.child("history");
        h.put("count", history.epochs().size());
        for (int i = 0; i < history.epochs().size(); i++) {
            history.epochs().get(i).saveTo(h.child(Integer.toString(i)));
        }
        model.namedStreams().forEach((name, rng) -> s.child("streams").put(name, rng.state()));
        TrainState o = s.child("optimizer");
        o.putAll("state", optimizer.stateDict());
        for (int g = 0; g < optimizer.groupCount(); g++) {
            o.put("lr." + g, optimizer.lr(g)); // exact, where the state dict holds float32
        }
        stateful().forEach(part -> part.saveState(s.child("callbacks").child(part.stateName())));
        return s;
    }

    private void apply(TrainState s, int loaderBatches) {
        TrainState t = s.child("trainer");
        if (t.getInt("batches") != loaderBatches) {
            throw new IllegalArgumentException("the checkpoint was written with " + t.getInt("batches")
                    + " batches per epoch, this training loader has " + loaderBatches
                    + "; resume with the batch size and training data of the run that wrote it");
        }
        step = t.getLong("step");
        totals = new EpochTotals(t.getDouble("epoch_lr"));
        totals.lossSum = t.getDouble("loss_sum");
        totals.penaltySum = t.getDouble("penalty_sum");
        totals.correct = t.getLong("correct");
        totals.samples = t.getInt("samples");
        totals.seconds = t.getDouble("seconds");
        TrainState h = s.child("history");
        for (int i = 0; i < h.getInt("count"); i++) {
            history.add(EpochMetrics.readFrom(h.child(Integer.toString(i))));
        }
        Map<String, dev.myelin.tensor.Rng> streams = model.namedStreams();
        List<String> saved = s.keys("streams");
        if (!saved.equals(new ArrayList<>(streams.keySet()))) {
            throw new IllegalArgumentException("the checkpoint's random streams " + saved + " are not this model's "
                    + streams.keySet() + "; resume with the model of the run that wrote it");
        }
        streams.forEach((name, rng) -> rng.setState(s.child("streams").getLong(name)));
        TrainState o = s.child("optimizer");
        optimizer.loadStateDict(o.tensors("state"));
        for (int g = 0; g < optimizer.groupCount(); g++) {
            optimizer.setLr(g, o.getDouble("lr." + g));
        }
        stateful().forEach(part -> part.loadState(s.child("callbacks").child(part.stateName())));
    }

    private List<Stateful> stateful() {
        List<Stateful> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Object part : concat()) {
            if (part instanceof Stateful st) {
                if (!names.add(st.stateName())) {
                    throw new IllegalStateException("two parts of this trainer save their state as '" + st.stateName()
                            + "'; give each a name of its own");
                }
                out.add(st);
            }
        }
        return out;
    }

    private List<Object> concat() {
        List<Object> all = new ArrayList<>(callbacks);
        all.addAll(regularizers);
        return all;
    }

    /** Trains for {@code epochs} epochs (in all, counting those of a restored run); {@code validation} may be null. */
    public History fit(DataLoader train, DataLoader validation, int epochs) {
        if (optimizer == null) {
            throw new IllegalStateException("Trainer: fit needs an optimizer; this trainer was made with"
                    + " new Trainer(model, loss), which evaluates and predicts only");
        }
        history = new History();
        TrainContext ctx = new TrainContext(this, epochs);
        callbacks.forEach(c -> c.onTrainBegin(ctx));
        if (parallel != null) {
            parallel.start(model);
        }
        TrainState resume = pending;
        pending = null;
        epoch = 1;
        batch = 0;
        batches = train.numBatches();
        totals = new EpochTotals(optimizer.lr());
        if (resume != null) {
            epoch = resume.child("trainer").getInt("epoch");
            batch = resume.child("trainer").getInt("batch");
            if (epoch - (batch > 0 ? 0 : 1) > epochs) {
                throw new IllegalArgumentException("the checkpoint has trained " + (epoch - 1) + " epochs"
                        + (batch > 0 ? " and " + batch + " batches" : "") + "; fit was asked for " + epochs
                        + " in all; ask for at least " + (epoch - (batch > 0 ? 0 : 1)));
            }
            if (batch == 0) {
                apply(resume, batches);
            }
        }
        for (; epoch <= epochs; epoch++) {
            final int e = epoch;
            callbacks.forEach(c -> c.onEpochBegin(ctx, e));
            if (resume != null && batch > 0) {
                apply(resume, batches); // after onEpochBegin, which would reset what the epoch has counted
            } else {
                batch = 0;
                totals = new EpochTotals(optimizer.lr());
            }
            resume = null;
            EpochMetrics m = runEpoch(ctx, train, validation, epoch);
            if (m == null) {
                break;
            }
            history.add(m);
            callbacks.forEach(c -> c.onEpochEnd(ctx, m));
            // The position is now the start of the next epoch: a snapshot taken here resumes there.
            epoch++;
            batch = 0;
            totals = new EpochTotals(optimizer.lr());
            callbacks.forEach(c -> c.onSnapshotPoint(ctx, true));
            if (ctx.stopReason() != null) {
                history.stop(ctx.stopReason(), false);
                break;
            }
            epoch--; // the loop's own increment moves it on
        }
        callbacks.forEach(c -> c.onTrainEnd(ctx, history));
        return history;
    }

    /** One epoch; returns null when the loss diverged (and records why in the history). */
    private EpochMetrics runEpoch(TrainContext ctx, DataLoader train, DataLoader validation, int epoch) {
        model.train();
        long t0 = System.nanoTime();
        EpochTotals sum = totals;
        Batch last = null;
        try (BatchIterator it = train.epoch(epoch - 1, batch)) {
            while (it.hasNext()) {
                Batch mb = it.next();
                last = mb;
                final int current = this.batch + 1;
                callbacks.forEach(c -> c.onBatchBegin(ctx, epoch, current, batches));
                Double lv = trainStep(ctx, mb, epoch, current, batches, sum);
                if (lv == null) {
                    return null;
                }
                int n = mb.size();
                this.batch = current;
                callbacks.forEach(c -> c.onBatchEnd(ctx, epoch, current, batches, lv, n));
                if (current < batches) {
                    sum.seconds += (System.nanoTime() - t0) / 1e9; // a checkpoint's writing time is not the epoch's
                    callbacks.forEach(c -> c.onSnapshotPoint(ctx, false));
                    t0 = System.nanoTime();
                }
            }
        }
        sum.seconds += (System.nanoTime() - t0) / 1e9;
        if (parallel != null) {
            parallel.endEpoch(model);
        }
        Evaluation val = validation == null ? null : evaluate(validation);
        String bad = afterLastUpdate(epoch, val, last);
        if (bad != null) {
            history.stop(bad, true);
            return null;
        }
        boolean classify = Metrics.isClassification(train);
        Map<String, Double> extra = new LinkedHashMap<>();
        if (!regularizers.isEmpty()) {
            extra.put("penalty", sum.penaltySum / Math.max(1, sum.samples));
        }
        callbacks.forEach(c -> c.collectMetrics(ctx, epoch, extra));
        return new EpochMetrics(epoch, step, sum.lr, sum.lossSum / Math.max(1, sum.samples),
                classify ? (double) sum.correct / Math.max(1, sum.samples) : Double.NaN,
                val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(),
                sum.seconds, sum.samples / Math.max(1e-9, sum.seconds), extra);
    }

    /**
     * One optimizer step on {@code mb}, its arrays leased from the trainer's {@link StoragePool}
     * and recycled when it ends; returns the batch's loss, or null when training stopped (the
     * history says why).
     */
    private Double trainStep(TrainContext ctx, Batch mb, int epoch, int current, int batches, EpochTotals sum) {
        try (StoragePool.Scope stepStorage = storage.open()) {
            stepStorage.recycleGradients(optimizer.params()); // the optimizer's zeroGrad, the storage kept
            Tensor x = needsInputGradient() ? mb.x().detach().requiresGrad(true) : mb.x();
            Tensor out = model.forward(x);
            Tensor l = loss.apply(out, mb.y());
            int n = mb.size();
            double lv = l.item();
            Tensor objective = l;
            double pv = 0;
            for (Regularizer r : regularizers) {
                Tensor p = r.penalty(model, x, out);
                pv += p.item();
                objective = objective.add(p);
            }
            // {loss·n, penalty·n, correct, n} of this batch; of the global batch when data-parallel
            double[] stats = {lv * n, pv * n, Metrics.correct(out, mb.y()), n};
            if (parallel != null && parallel.size() > 1) {
                parallel.sumStatistics(stats);
                lv = stats[0] / stats[3];
                pv = stats[1] / stats[3];
            }
            if (!Double.isFinite(lv) || !Double.isFinite(pv)) {
                history.stop((Double.isFinite(lv) ? "the regularization penalty became " + pv : "loss became " + lv)
                        + " at epoch " + epoch + ", batch " + current + " of " + batches
                        + " (step " + (step + 1) + "); training stopped before applying that update. " + ADVICE, true);
                return null;
            }
            objective.backward();
            if (parallel != null) {
                parallel.reduceGradients(optimizer.params(), n / stats[3]);
            }
            try {
                callbacks.forEach(c -> c.onBeforeStep(ctx));
            } catch (NonFiniteGradientException e) {
                history.stop(e.getMessage() + " (epoch " + epoch + ", batch " + current + " of " + batches
                        + ", step " + (step + 1) + "; training stopped before applying that update)", true);
                return null;
            }
            optimizer.step();
            step++;
            if (parallel != null) {
                parallel.afterStep(model, step);
            }
            sum.lossSum += stats[0];
            sum.penaltySum += stats[1];
            sum.correct += (long) stats[2];
            sum.samples += (int) stats[3];
            return lv;
        }
    }

    /**
     * Why the weights after the epoch's last update are not a good state, or null when they
     * are: a non-finite parameter or buffer, or a non-finite loss after that update (on the
     * validation split, else on the epoch's last batch in evaluation mode). Each batch's loss
     * is checked before its update, so only the last update of an epoch could otherwise reach
     * a checkpoint unchecked.
     */
    private String afterLastUpdate(int epoch, Evaluation val, Batch last) {
        String broken = firstNonFinite(model);
        if (broken != null) {
            return "'" + broken + "' became NaN or infinite in the last update of epoch " + epoch + " (step "
                    + step + "); that epoch does not count and is not saved. " + ADVICE;
        }
        double after = val != null ? val.loss() : last == null ? 0 : loss.apply(predict(last.x()), last.y()).item();
        if (val == null && parallel != null) {
            double[] any = {after}; // each replica's last shard differs: decide on their sum, the same everywhere
            parallel.sumStatistics(any);
            after = any[0];
        }
        if (!Double.isFinite(after)) {
            return (val != null ? "the validation loss" : "the loss of the epoch's last batch") + " became " + after
                    + " after the last update of epoch " + epoch + " (step " + step
                    + "); that epoch does not count and is not saved. " + ADVICE;
        }
        return null;
    }

    /** The state-dict key of the first parameter or buffer holding a NaN or an infinity, or null when all are finite. */
    static String firstNonFinite(Module model) {
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            for (float v : e.getValue().data()) {
                if (!Float.isFinite(v)) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    /** What the epoch in progress has counted so far (kept across a mid-epoch checkpoint). */
    private static final class EpochTotals {
        final double lr;
        double lossSum;
        double penaltySum;
        long correct;
        int samples;
        double seconds;

        EpochTotals(double lr) {
            this.lr = lr;
        }
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
                // the batch's arrays serve the next batch (inside a training step's scope, that one's)
                try (StoragePool.Scope batchStorage = StoragePool.scopeOpen() ? null : storage.openEvaluation()) {
                    Tensor out = model.forward(batch.x());
                    lossSum += loss.apply(out, batch.y()).item() * batch.size();
                    correct += Metrics.correct(out, batch.y());
                    samples += batch.size();
                }
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
