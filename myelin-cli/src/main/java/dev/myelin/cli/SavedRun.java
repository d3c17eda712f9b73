package dev.myelin.cli;

import dev.myelin.cli.config.RunConfig;
import dev.myelin.cli.run.Checkpoint;
import dev.myelin.cli.run.PreparedData;
import dev.myelin.cli.run.UserException;
import dev.myelin.data.DataException;
import dev.myelin.io.CheckpointException;
import dev.myelin.nn.Ensemble;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.LoadReport;
import dev.myelin.nn.WeightTransfer;
import dev.myelin.tensor.Tensor;
import dev.myelin.train.FineTuning;
import dev.myelin.tensor.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code myelin eval} and {@code predict} load: one checkpoint (a {@code model.safetensors}
 * or the run folder holding it), or an ensemble run folder whose members are in
 * {@code members/0/}, {@code members/1/}, ... . The config, preprocessing and classes come from
 * the (first) checkpoint; the members share them, as they were trained on the same data.
 *
 * @param config the saved config, with {@code data.dir} replaced when {@code --data} was given
 */
record SavedRun(Path location, List<Checkpoint> checkpoints, RunConfig config) {

    /** Reads {@code fileOrFolder}; {@code dataDir} (may be null) overrides the saved data directory. */
    static SavedRun read(Path fileOrFolder, Path dataDir) throws IOException {
        List<Checkpoint> cks = new ArrayList<>();
        Path members = fileOrFolder.resolve(BaggingRun.MEMBERS);
        if (Files.isDirectory(fileOrFolder) && !Files.exists(fileOrFolder.resolve(Checkpoint.FILE_NAME))
                && Files.isDirectory(members)) {
            for (int k = 0; Files.isDirectory(members.resolve(Integer.toString(k))); k++) {
                cks.add(Checkpoint.read(members.resolve(Integer.toString(k))));
            }
            checkComplete(members, cks);
        } else {
            cks.add(Checkpoint.read(fileOrFolder));
        }
        RunConfig c = cks.get(0).config();
        if (dataDir != null) {
            c = c.withData(c.data().withDir(dataDir.toAbsolutePath().normalize().toString()));
        }
        return new SavedRun(fileOrFolder, List.copyOf(cks), c);
    }

    /**
     * Weights not written by {@code myelin train} (a PyTorch {@code state_dict} saved as
     * safetensors, or a Myelin file whose metadata is not wanted) with the config that describes
     * their model: the data and its preprocessing are prepared as a training run of that config
     * would, fitted on its training split. The weights must fit the model exactly.
     */
    static SavedRun fromConfig(RunConfig config, Path weights) throws IOException {
        Map<String, Tensor> state = FineTuning.weights(weights);
        PreparedData d = PreparedData.load(config.data(), config.source(), new Rng(config.seed()), null);
        Sequential model = config.spec().build(d.featureShape(), d.numClasses(), new Rng(config.seed()).split("model"));
        LoadReport r = WeightTransfer.load(model, state, new WeightTransfer.Options(Map.of(), List.of(), false));
        if (!r.complete()) {
            throw new UserException(weights + ": the weights do not fit the model of " + config.source().label() + ": "
                    + r.describe() + "\nWrite the model the weights were trained with (layer i is key prefix i.)");
        }
        return new SavedRun(weights, List.of(new Checkpoint(Checkpoint.of(model, config, d), config)), config);
    }

    private static void checkComplete(Path members, List<Checkpoint> cks) throws CheckpointException {
        if (cks.isEmpty()) {
            throw new CheckpointException(members, "no member folders 0, 1, ...; expected the members of an ensemble"
                    + " written by `myelin train --ensemble K`");
        }
        var ens = cks.get(0).config().ensemble();
        int expected = ens == null ? cks.size() : ens.members();
        if (cks.size() != expected) {
            throw new CheckpointException(members, "expected " + expected + " members (ensemble.members), found "
                    + cks.size() + ": the training did not finish. Evaluate one member alone, e.g. "
                    + members.resolve("0"));
        }
    }

    Checkpoint first() {
        return checkpoints.get(0);
    }

    boolean isEnsemble() {
        return checkpoints.size() > 1;
    }

    /** The data of the saved config, preprocessed with the saved statistics; the classes must match. */
    PreparedData data() {
        Checkpoint ck = first();
        PreparedData d = PreparedData.load(config.data(), config.source(), new Rng(config.seed()), ck.preprocessing());
        if (!d.classNames().equals(ck.classNames())) {
            throw new DataException(config.data().csvPath(config.data().train()) + ": expected the classes the model was"
                    + " trained on " + ck.classNames() + ", found " + d.classNames()
                    + "; use the data the model was trained with");
        }
        return d;
    }

    /**
     * The shape of one input sample before preprocessing (what input files hold): from the checkpoint,
     * or (older checkpoints) from the saved config's data.
     */
    int[] inputShape() {
        return first().knowsShapes() ? first().inputShape().clone() : data().inputShape();
    }

    /** The shape of one sample as the model sees it: the input shape after the saved preprocessing. */
    int[] modelShape() {
        return first().preprocessing().outputShape(inputShape());
    }

    /** The number of classes (0 for regression): from the checkpoint, or (older checkpoints) from the data. */
    int numClasses() {
        return first().knowsShapes() ? first().numClasses() : data().numClasses();
    }

    /** The label text of class k: the csv labels the model was trained on, else the index itself. */
    String className(int k) {
        List<String> names = first().classNames();
        return k < names.size() ? names.get(k) : Integer.toString(k);
    }

    /** Rebuilds the model (each member) for samples of {@code inputShape} and loads the saved weights. */
    Module build(int[] inputShape, int numClasses) {
        List<Module> models = new ArrayList<>();
        for (Checkpoint ck : checkpoints) {
            Sequential m = config.spec().build(inputShape, numClasses, new Rng(config.seed()).split("model"));
            m.loadStateDict(ck.state(), true);
            models.add(m);
        }
        return isEnsemble() ? new Ensemble(models, config.loss().ensembleOutput()) : models.get(0);
    }

    /** "runs/x/model.safetensors (epoch 7)" or "runs/x (ensemble of 5 members)". */
    String describe() {
        if (isEnsemble()) {
            return location + " (ensemble of " + checkpoints.size() + " members)";
        }
        return first().epoch() == Checkpoint.NO_EPOCH ? location + " (model of " + config.source().label() + ")"
                : first().file() + " (epoch " + first().epoch() + ")";
    }
}
