package dev.myelin.cli;

import dev.myelin.cli.config.RunConfig;
import dev.myelin.data.DataLoader;
import dev.myelin.nn.Module;
import dev.myelin.train.Evaluation;
import dev.myelin.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code myelin eval CHECKPOINT}: rebuilds the model from the checkpoint's metadata, loads its
 * weights, standardizes the test split with the saved statistics, and prints the test loss and
 * accuracy. An ensemble run folder is evaluated as the ensemble: the members' averaged
 * probabilities. Writes nothing.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluates a checkpoint written by `myelin train` on its data set's test split.",
        footer = {"%nExit codes: 0 done, 2 user error (checkpoint, data, files).",
                "Example: myelin eval runs/fashion-mlp-20250101-120000"})
final class EvalCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A model.safetensors, or the run folder holding it (an ensemble's: all members).")
    private Path checkpoint;

    @Option(names = "--data", paramLabel = "DIR", description = "The data directory (overrides the saved data.dir).")
    private Path data;

    @Override
    public Integer call() throws IOException {
        PrintStream out = main.out();
        SavedModel saved = SavedModel.read(checkpoint, data);
        RunConfig c = saved.config();
        common.applyThreads();
        PreparedData d = saved.data();
        Module model = saved.build(d.featureShape(), d.numClasses());
        Evaluation e = new Trainer(model, ModelFactory.loss(c.loss()), null)
                .evaluate(new DataLoader(d.test(), c.batchSize()));
        out.printf(Locale.ROOT, "%s, %s test split, %d samples%n", saved.describe(), c.data().dataset(), e.samples());
        out.println(RunSummary.testLine(e));
        return 0;
    }
}
