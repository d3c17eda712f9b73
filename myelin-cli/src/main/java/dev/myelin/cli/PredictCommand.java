package dev.myelin.cli;

import dev.myelin.cli.run.UserException;
import dev.myelin.data.ArrayDataset;
import dev.myelin.data.Batch;
import dev.myelin.data.BatchIterator;
import dev.myelin.data.DataLoader;
import dev.myelin.nn.Module;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.McDropout;
import dev.myelin.train.McPrediction;
import dev.myelin.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code myelin predict CHECKPOINT}: the model's predictions on its test split or on a file,
 * preprocessed with the saved statistics. Classification: the predicted class and the class
 * probabilities; with {@code --mc-samples T}, Monte Carlo dropout (Gal &amp; Ghahramani 2016):
 * the mean and spread of the probabilities over T passes with dropout on and batch norm in
 * evaluation mode. An ensemble run folder predicts with all members (averaged probabilities).
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predicts with a checkpoint written by `myelin train` on its test split or on --input FILE;"
                + "%nwith --mc-samples T, Monte Carlo dropout: per-class means and spreads over T passes.",
        footer = {"%nExit codes: 0 done, 2 user error (checkpoint, input, data, options).",
                "Example: myelin predict runs/fashion-mlp-20250101-120000 --mc-samples 30 --limit 5"})
final class PredictCommand implements Callable<Integer> {
    /** Samples shown on the console when --limit is not given. */
    static final int SHOWN = 20;

    @ParentCommand
    private Main main;

    @Mixin
    private CommonOptions common;

    @Mixin
    private ModelSource source;

    @Option(names = "--input", paramLabel = "FILE", description = "Samples to predict: a CSV file with a header (the"
            + " feature columns found by their training names, in any order; an optional label column) or an IDX"
            + " image file (default: the test split).")
    private Path input;

    @Option(names = "--mc-samples", paramLabel = "T", description = "Monte Carlo dropout with T stochastic passes"
            + " (the model needs a dropout layer); default: one deterministic pass.")
    private int mcSamples;

    @Option(names = "--limit", paramLabel = "N", description = "Predict only the first N samples (and show them all).")
    private int limit;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Also write every prediction as CSV.")
    private Path out;

    @Option(names = "--seed", paramLabel = "N", description = "The seed of the dropout masks (default: the run's).")
    private Long seed;

    @Override
    public Integer call() throws IOException {
        PrintStream console = main.out();
        if (mcSamples < 0 || limit < 0) {
            throw new UserException((mcSamples < 0 ? "--mc-samples " + mcSamples : "--limit " + limit)
                    + ": expected a positive number (or leave it out)");
        }
        SavedRun saved = source.read();
        common.applyThreads();
        PredictInput in = input == null ? PredictInput.testSplit(saved) : PredictInput.file(input, saved);
        ArrayDataset samples = limit > 0 && limit < in.data().size()
                ? in.data().subset(IntStream.range(0, limit).toArray()) : in.data();
        int classes = saved.numClasses();
        Module model = saved.build(saved.modelShape(), classes);
        long s = seed != null ? seed : saved.config().seed();
        console.printf(Locale.ROOT, "%s on %s, %d samples%s%n", saved.describe(), in.description(), samples.size(),
                mcSamples > 0 ? String.format(Locale.ROOT, "; Monte Carlo dropout, T = %d passes (seed %d)", mcSamples, s)
                        : "");
        McPrediction p = predict(model, samples, classes > 0 ? McDropout::probabilities : UnaryOperator.identity(),
                saved.config().batchSize(), new Rng(s).split("mc-dropout"));
        float[] labels = in.labeled() ? labels(samples) : null;
        PredictionTable table = new PredictionTable(p, mcSamples > 0, labels, classes, saved::className);
        table.print(console, limit > 0 ? limit : SHOWN);
        if (out != null) {
            table.writeCsv(out);
            console.println("wrote " + out);
        }
        return 0;
    }

    /** Batch by batch: T passes per batch (each from its own split stream), or one eval-mode pass. */
    private McPrediction predict(Module model, ArrayDataset samples, UnaryOperator<Tensor> transform, int batchSize,
                                 Rng rng) {
        float[] mean = null;
        float[] std = null;
        int width = 0;
        int row = 0;
        int b = 0;
        Trainer trainer = new Trainer(model, null);
        try (BatchIterator it = new DataLoader(samples, batchSize).epoch(0)) {
            while (it.hasNext()) {
                Batch batch = it.next();
                McPrediction part = mcSamples > 0 ? mcPredict(model, batch.x(), transform, rng.split("batch" + b++))
                        : deterministic(trainer, batch.x(), transform);
                if (mean == null) {
                    width = part.classes();
                    mean = new float[samples.size() * width];
                    std = new float[samples.size() * width];
                }
                System.arraycopy(part.mean().data(), 0, mean, row * width, part.mean().numel());
                System.arraycopy(part.std().data(), 0, std, row * width, part.std().numel());
                row += batch.size();
            }
        }
        return new McPrediction(Tensor.of(mean, samples.size(), width), Tensor.of(std, samples.size(), width),
                Math.max(1, mcSamples));
    }

    private McPrediction mcPredict(Module model, Tensor x, UnaryOperator<Tensor> transform, Rng rng) {
        try {
            return McDropout.predict(model, x, mcSamples, rng, transform);
        } catch (IllegalArgumentException e) {
            throw new UserException(source.checkpoint() + ": --mc-samples: " + e.getMessage());
        }
    }

    private static McPrediction deterministic(Trainer trainer, Tensor x, UnaryOperator<Tensor> transform) {
        Tensor p = transform.apply(trainer.predict(x));
        return new McPrediction(p, Tensor.zeros(p.shape()), 1);
    }

    private static float[] labels(ArrayDataset d) {
        float[] y = new float[d.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = d.label(i);
        }
        return y;
    }
}
