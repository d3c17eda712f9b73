package dev.myelin.cli.lab.optim;

import dev.myelin.cli.lab.EpochLog;
import dev.myelin.cli.lab.LabContext;
import dev.myelin.cli.lab.StepLosses;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Splits;
import dev.myelin.nn.Activation;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Loss;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Optimizer;
import dev.myelin.tensor.Rng;
import dev.myelin.train.Callback;
import dev.myelin.train.Evaluation;
import dev.myelin.train.History;
import dev.myelin.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One training run of the optimization labs: a ReLU MLP on Fashion-MNIST, the same
 * initialization and batch order for every run of an experiment (the seed's streams, split by
 * the same names), only the optimizer and the callbacks differ. It records the loss of every
 * step besides the per-epoch history.
 */
final class MlpRun {
    /** The run's result: the per-epoch history, every step's loss, and the test figures (null if diverged). */
    record Result(String name, History history, double[] stepLosses, Evaluation test) {
    }

    private MlpRun() {
    }

    /** Flatten, then Linear+ReLU per hidden width, then Linear to 10 classes. */
    static Sequential mlp(Rng rng, int... hidden) {
        List<Module> layers = new ArrayList<>();
        layers.add(new Flatten());
        int in = 28 * 28;
        for (int i = 0; i < hidden.length; i++) {
            layers.add(new Linear(in, hidden[i], rng.split("linear" + i)));
            layers.add(Activation.relu());
            in = hidden[i];
        }
        layers.add(new Linear(in, 10, rng.split("out")));
        return new Sequential(layers);
    }

    /**
     * Trains a fresh {@link #mlp} (same seed for every run) with the optimizer {@code make} builds
     * over its parameters, then evaluates it on the test split when training did not diverge.
     */
    static Result train(LabContext ctx, String name, Splits data, int[] hidden, int epochs, int batch,
                        Function<List<dev.myelin.tensor.Tensor>, Optimizer> make, Callback... callbacks) {
        return train(ctx, name, data, mlp(ctx.rng().split("model"), hidden), epochs, batch, make, callbacks);
    }

    /** Trains {@code model} (built by the caller from the seed) as {@link #train(LabContext, String, Splits, int[], int, int, Function, Callback...)}. */
    static Result train(LabContext ctx, String name, Splits data, Sequential model, int epochs, int batch,
                        Function<List<dev.myelin.tensor.Tensor>, Optimizer> make, Callback... callbacks) {
        Rng rng = ctx.rng();
        StepLosses steps = new StepLosses();
        Trainer t = new Trainer(model, Loss.crossEntropy(), make.apply(model.parameters()));
        for (Callback c : callbacks) {
            t.addCallback(c);
        }
        t.addCallback(steps).addCallback(new EpochLog(ctx, name));
        DataLoader train = new DataLoader(data.train(), batch, rng.split("shuffle"));
        DataLoader val = data.hasValidation() ? new DataLoader(data.validation(), 1000) : null;
        History h = t.fit(train, val, epochs);
        if (h.stopReason() != null) {
            ctx.log("[%s] stopped: %s", name, h.stopReason());
        }
        Evaluation test = h.diverged() ? null : t.evaluate(new DataLoader(data.test(), 1000));
        return new Result(name, h, steps.values(), test);
    }
}
