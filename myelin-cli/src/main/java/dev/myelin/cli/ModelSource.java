package dev.myelin.cli;

import dev.myelin.cli.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code eval} and {@code predict} run: a checkpoint written by {@code myelin train} (the
 * model, its preprocessing and classes are in its metadata), or with {@code --config} any
 * safetensors state dict (PyTorch's too) and the config that describes its model.
 */
final class ModelSource {
    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A model.safetensors, or the run folder holding it"
            + " (an ensemble's: all members); with --config, any safetensors file of weights (PyTorch's too).")
    private Path checkpoint;

    @Option(names = "--config", paramLabel = "CONFIG.yaml", description = "The model and data of CHECKPOINT's weights,"
            + " for weights not written by `myelin train`: the preprocessing is fitted on the config's training data.")
    private Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "The data directory (overrides the saved data.dir).")
    private Path data;

    /** The model to run. */
    SavedRun read() throws IOException {
        return config == null ? SavedRun.read(checkpoint, data)
                : SavedRun.fromConfig(ConfigLoader.load(config, List.of(), data), checkpoint);
    }

    /** The weights' path as given, for messages. */
    Path checkpoint() {
        return checkpoint;
    }
}
