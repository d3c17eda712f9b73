package dev.myelin.cli;

import dev.myelin.cli.config.RunConfig;
import dev.myelin.data.DataException;
import dev.myelin.data.DataLoader;
import dev.myelin.nn.BatchNorm;
import dev.myelin.nn.BatchNormFolding;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
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
 * accuracy. With {@code --fold-bn} it evaluates the model with its batch norms folded into the
 * neighbouring linear layers. Writes nothing.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluates a checkpoint written by `myelin train` on its data set's test split.",
        footer = {"%nExit codes: 0 done, 2 user error (checkpoint, data, files).",
                "Example: myelin eval runs/fashion-mlp-20250101-120000 --fold-bn"})
final class EvalCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A model.safetensors, or the run folder holding it.")
    private Path checkpoint;

    @Option(names = "--data", paramLabel = "DIR", description = "The data directory (overrides the saved data.dir).")
    private Path data;

    @Option(names = "--fold-bn", description = "Fold each batch norm into the linear layer next to it (inference-only "
            + "model with the same outputs) and evaluate that.")
    private boolean foldBn;

    @Override
    public Integer call() throws IOException {
        PrintStream out = main.out();
        Checkpoint ck = Checkpoint.read(checkpoint);
        RunConfig c = ck.config();
        if (data != null) {
            c = new RunConfig(c.name(), c.source(), c.seed(), c.data().withDir(data.toAbsolutePath().normalize().toString()),
                    c.model(), c.loss(), c.optimizer(), c.epochs(), c.batchSize());
        }
        common.applyThreads();
        Rng root = new Rng(c.seed());
        PreparedData d = PreparedData.load(c.data(), root, ck.standardizer());
        if (!d.classNames().equals(ck.classNames())) {
            throw new DataException(c.data().csvPath(c.data().train()) + ": expected the classes the model was trained on "
                    + ck.classNames() + ", found " + d.classNames() + "; evaluate with the data the model was trained with");
        }
        Sequential model = ModelFactory.build(c, d.featureShape(), d.numClasses(), root.split("model"));
        model.loadStateDict(ck.state(), true);
        if (foldBn) {
            model = fold(model, out);
        }
        Evaluation e = new Trainer(model, ModelFactory.loss(c.loss()), null)
                .evaluate(new DataLoader(d.test(), c.batchSize()));
        out.printf(Locale.ROOT, "%s (epoch %d), %s test split, %d samples%n", ck.file(), ck.epoch(), c.data().dataset(),
                e.samples());
        out.println(Double.isNaN(e.accuracy())
                ? String.format(Locale.ROOT, "test loss %.4f", e.loss())
                : String.format(Locale.ROOT, "test accuracy %.4f, test loss %.4f", e.accuracy(), e.loss()));
        return 0;
    }

    /** The model with its batch norms folded (see {@link BatchNormFolding}), saying how many. */
    private static Sequential fold(Sequential model, PrintStream out) {
        model.eval();
        BatchNormFolding.Result r = BatchNormFolding.fold(model);
        long left = r.model().layers().stream().filter(m -> m instanceof BatchNorm).count();
        out.printf(Locale.ROOT, "--fold-bn: folded %d batch norm layer%s into the adjacent linear layers%s%n", r.folded(),
                r.folded() == 1 ? "" : "s", left == 0 ? "" : " (" + left + " left: no linear layer next to them,"
                        + " or no running statistics)");
        return r.model();
    }
}
