package dev.myelin.cli.run;

import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.data.Preprocessing;
import dev.myelin.model.SavedModel;
import dev.myelin.nn.Module;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code model.safetensors} as the command line reads it: the core's {@link SavedModel}
 * (weights, model description, preprocessing, class and feature names; its Javadoc lists the
 * metadata) with the whole run config it was trained with, from which {@code myelin eval} finds
 * the data.
 */
public record Checkpoint(SavedModel saved, RunConfig config) {
    public static final String FILE_NAME = SavedModel.FILE_NAME;
    /** The epoch of weights that did not come from {@code myelin train} ({@code --config}). */
    public static final int NO_EPOCH = SavedModel.NO_EPOCH;

    /** Writes the model's current state atomically (temporary file, then rename). */
    public static void save(Path file, Module model, RunConfig config, PreparedData data, int epoch) throws IOException {
        of(model, config, data).withEpoch(epoch).save(file);
    }

    /** The model as a {@link SavedModel} of {@code config} trained on {@code data} (no epoch yet). */
    public static SavedModel of(Module model, RunConfig config, PreparedData data) {
        return SavedModel.of(model, config.spec(), data.inputShape(), data.numClasses())
                .withConfig(ConfigLoader.toJson(config)).withPreprocessing(data.preprocessing())
                .withClassNames(data.classNames()).withFeatureNames(data.featureNames());
    }

    /** Reads a checkpoint written by {@code myelin train}: the file itself or the run folder holding it. */
    public static Checkpoint read(Path fileOrFolder) throws IOException {
        SavedModel s = SavedModel.load(fileOrFolder);
        Path folder = s.file().toAbsolutePath().getParent();
        String name = folder == null ? "model" : folder.getFileName().toString();
        return new Checkpoint(s, ConfigLoader.fromJson(s.config(), name, s.file() + " (metadata myelin.config)"));
    }

    public Path file() {
        return saved.file();
    }

    public Map<String, Tensor> state() {
        return saved.state();
    }

    public Preprocessing preprocessing() {
        return saved.preprocessing();
    }

    public List<String> classNames() {
        return saved.classNames();
    }

    public List<String> featureNames() {
        return saved.featureNames();
    }

    public int epoch() {
        return saved.epoch();
    }

    /** True when the checkpoint records the input shape and class count (older ones do not). */
    public boolean knowsShapes() {
        return saved.knowsShapes();
    }

    public int[] inputShape() {
        return saved.inputShape();
    }

    public int numClasses() {
        return saved.numClasses();
    }
}
