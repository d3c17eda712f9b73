package dev.myelin.cli;

import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.run.ModelTraining;
import dev.myelin.cli.run.PreparedData;
import dev.myelin.nn.ModelSummary;
import dev.myelin.tensor.Rng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code myelin summary CONFIG}: the model a config describes, layer by layer, as Keras's
 * {@code model.summary()} ({@link ModelSummary}), for the shape of its data after
 * preprocessing. {@code myelin train} prints the same table when it starts.
 */
@Command(name = "summary", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints the model a config describes: each layer's output shape, parameters and%n"
                + "whether they train, then the totals and their memory (as Keras's model.summary()).",
        footer = {"%nExample: myelin summary examples/fashion-cnn.yaml --set model[0].conv2d.out=16"})
final class SummaryCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Mixin
    private CommonOptions common;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML config (see examples/).")
    private Path config;

    @Mixin
    private ConfigOverrides overrides;

    @Override
    public Integer call() throws IOException {
        RunConfig c = overrides.load(config);
        common.applyThreads();
        Rng root = new Rng(c.seed());
        PreparedData d = PreparedData.load(c.data(), c.source(), root, null);
        ModelSummary s = ModelTraining.summary(c, d, root);
        main.out().printf(Locale.ROOT, "%s: %d layers, %s%n", c.name(), s.layers().size(),
                d.numClasses() > 0 ? d.numClasses() + " classes" : "regression");
        main.out().print(s.render(c.batchSize()));
        return 0;
    }
}
