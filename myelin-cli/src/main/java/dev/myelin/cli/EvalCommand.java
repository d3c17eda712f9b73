package dev.myelin.cli;

import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.run.PreparedData;
import dev.myelin.cli.run.RunSummary;
import dev.myelin.data.DataLoader;
import dev.myelin.nn.BatchNorm;
import dev.myelin.nn.BatchNormFolding;
import dev.myelin.nn.Ensemble;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.train.Evaluation;
import dev.myelin.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code myelin eval CHECKPOINT}: rebuilds the model from the checkpoint's metadata, loads its
 * weights, preprocesses the test split with the saved transforms, and prints the test loss and
 * accuracy. An ensemble run folder is evaluated as the ensemble: the members' averaged
 * probabilities. With {@code --fold-bn} it evaluates the model (each member) with its batch
 * norms folded into the neighbouring linear layers. Writes nothing.
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

    @Mixin
    private ModelSource source;

    @Option(names = "--fold-bn", description = "Fold each batch norm into the linear layer next to it (inference-only "
            + "model with the same outputs) and evaluate that.")
    private boolean foldBn;

    @Override
    public Integer call() throws IOException {
        PrintStream out = main.out();
        SavedRun saved = source.read();
        RunConfig c = saved.config();
        common.applyThreads();
        PreparedData d = saved.data();
        Module model = saved.build(d.featureShape(), d.numClasses());
        if (foldBn) {
            model = model instanceof Ensemble ens
                    ? new Ensemble(ens.members().stream().map(m -> (Module) fold((Sequential) m, out)).toList(), ens.output())
                    : fold((Sequential) model, out);
        }
        Evaluation e = new Trainer(model, c.loss().create())
                .evaluate(new DataLoader(d.test(), c.batchSize()));
        out.printf(Locale.ROOT, "%s, %s test split, %d samples%n", saved.describe(), c.data().dataset(), e.samples());
        out.println(RunSummary.testLine(e));
        return 0;
    }

    /** The model with its batch norms folded (see {@link BatchNormFolding}), saying how many. */
    private static Sequential fold(Sequential model, PrintStream out) {
        model.eval();
        BatchNormFolding.Result r = BatchNormFolding.fold(model);
        long left = r.model().layers().stream().filter(m -> m instanceof BatchNorm).count();
        out.printf(Locale.ROOT, "--fold-bn: folded %d batch norm layer%s into the adjacent linear and convolution layers%s%n", r.folded(),
                r.folded() == 1 ? "" : "s", left == 0 ? "" : " (" + left + " left: no linear layer next to them,"
                        + " or no running statistics)");
        return r.model();
    }
}
