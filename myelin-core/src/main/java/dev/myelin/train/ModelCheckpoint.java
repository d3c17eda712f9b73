package dev.myelin.train;

import dev.myelin.io.AtomicFolder;
import dev.myelin.io.CheckpointException;
import dev.myelin.io.SafeTensors;
import dev.myelin.nn.Module;
import dev.myelin.options.Check;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes full checkpoints that a killed or stopped run continues from exactly (Keras's
 * {@code ModelCheckpoint}, PyTorch Lightning's {@code last.ckpt}). A checkpoint is a folder:
 * <pre>
 * model.safetensors    the weights and buffers (an ordinary model file: eval, predict and PyTorch read it)
 * trainer.json         step, epoch and batch, the epoch's running totals, the history, every random
 *                      stream's position, exact learning rates, each callback's counters (readable)
 * trainer.safetensors  optimizer moments and buffers, early stopping's best weights
 * </pre>
 * {@code FOLDER/last} is written at the end of every epoch and, with {@code everySteps > 0},
 * every that many optimizer steps; each write replaces the folder atomically
 * ({@link AtomicFolder}), so a kill at any moment, also during a write, leaves a whole
 * checkpoint. With {@code keep > 1} the {@code keep - 1} checkpoints before the last stay as
 * {@code FOLDER/step-<step>}. With a {@code monitor}, {@code FOLDER/best} is the checkpoint of the
 * epoch whose metric was best so far. A snapshot whose weights are not all finite is never
 * written (the trainer stops at the next loss check).
 *
 * <p>To continue: rebuild the trainer as it was (same model, optimizer, callbacks, data) and call
 * {@link #resume(Path, Trainer)} before {@code fit}.
 */
public final class ModelCheckpoint implements Callback, Stateful {
    public static final String LAST = "last";
    public static final String BEST = "best";
    public static final String MODEL_FILE = "model.safetensors";
    private static final String STEP_PREFIX = "step-";

    /**
     * @param everySteps also write {@code last} every this many steps; 0 (the default) for epoch ends only
     * @param keep       how many checkpoints to keep, {@code last} included (default 1)
     * @param monitor    the metric whose best epoch {@code best} holds (e.g. {@code val_loss}); null for none
     * @param mode       whether the monitored metric is better when lower or higher (AUTO: higher for accuracies)
     */
    public record Options(int everySteps, int keep, String monitor, EarlyStopping.Mode mode) {
        public Options {
            Check.atLeast("every_steps", everySteps, 0);
            Check.atLeast("keep", keep, 1);
            mode = mode == null ? EarlyStopping.Mode.AUTO : mode;
        }

        /** At every epoch's end, the last checkpoint only. */
        public static Options defaults() {
            return new Options(0, 1, null, EarlyStopping.Mode.AUTO);
        }

        /** These options with {@code best} kept by {@code monitor}. */
        public Options monitoring(String metric, EarlyStopping.Mode how) {
            return new Options(everySteps, keep, metric, how);
        }
    }

    /** Writes the model file of a checkpoint; the default writes the state dict without metadata. */
    @FunctionalInterface
    public interface ModelWriter {
        void write(Path file, Module model, int completedEpochs) throws IOException;
    }

    private final Path folder;
    private final Options options;
    private final ModelWriter writer;
    private final boolean maximize;
    private double best;
    private EpochMetrics lastEpoch;

    public ModelCheckpoint(Path folder, Options options, ModelWriter writer) {
        this.folder = folder;
        this.options = options;
        this.writer = writer;
        this.maximize = options.monitor() != null && switch (options.mode()) {
            case MIN -> false;
            case MAX -> true;
            case AUTO -> EarlyStopping.isHigherBetter(options.monitor());
        };
        this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    public ModelCheckpoint(Path folder, Options options) {
        this(folder, options, (file, model, epochs) -> SafeTensors.write(file, model.stateDict(), Map.of(),
                model.integerStateKeys()));
    }

    /** The folder that holds {@code last} (and {@code best}, {@code step-*}). */
    public Path folder() {
        return folder;
    }

    @Override
    public void onEpochEnd(TrainContext ctx, EpochMetrics m) {
        lastEpoch = m;
    }

    @Override
    public void onSnapshotPoint(TrainContext ctx, boolean epochEnd) {
        boolean due = epochEnd || (options.everySteps() > 0 && ctx.step() % options.everySteps() == 0);
        boolean improved = epochEnd && options.monitor() != null && improves(lastEpoch.get(options.monitor()));
        if (!due || Trainer.firstNonFinite(ctx.model()) != null) {
            return;
        }
        if (improved) {
            best = lastEpoch.get(options.monitor());
        }
        TrainState state = ctx.snapshot();
        try {
            write(folder.resolve(LAST), ctx.model(), state, options.keep() > 1);
            if (improved) {
                write(folder.resolve(BEST), ctx.model(), state, false);
            }
            prune();
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot write the checkpoint: " + e.getMessage(), e);
        }
    }

    private boolean improves(double v) {
        return maximize ? v > best : v < best;
    }

    private void write(Path target, Module model, TrainState state, boolean keepOld) throws IOException {
        Files.createDirectories(folder);
        Path tmp = AtomicFolder.begin(target);
        TrainState trainer = state.child("trainer");
        writer.write(tmp.resolve(MODEL_FILE), model, trainer.getInt("epoch") - 1);
        state.write(tmp);
        Path keepAs = null;
        if (keepOld && Files.isDirectory(target)) {
            long oldStep = TrainState.readValues(target).child("trainer").getLong("step");
            keepAs = folder.resolve(String.format(Locale.ROOT, "%s%09d", STEP_PREFIX, oldStep));
        }
        AtomicFolder.commit(target, keepAs);
    }

    /** Deletes the oldest {@code step-*} folders beyond {@code keep - 1}. */
    private void prune() throws IOException {
        List<Path> steps = stepFolders(folder);
        for (int i = 0; i < steps.size() - (options.keep() - 1); i++) {
            AtomicFolder.deleteTree(steps.get(i));
        }
    }

    private static List<Path> stepFolders(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(folder)) {
            return new ArrayList<>(all.filter(p -> p.getFileName().toString().startsWith(STEP_PREFIX)
                    && !p.getFileName().toString().contains(".")).sorted().toList());
        }
    }

    @Override
    public String stateName() {
        return "checkpoint";
    }

    @Override
    public void saveState(TrainState into) {
        into.put("best", best);
    }

    @Override
    public void loadState(TrainState from) {
        best = from.getDouble("best");
    }

    /**
     * Brings the checkpoint folder back to a whole state after a kill ({@link AtomicFolder#recover}
     * for {@code last} and {@code best}); returns the {@code last} checkpoint, or null when
     * there is none.
     */
    public static Path recover(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        AtomicFolder.recover(folder.resolve(BEST));
        for (Path p : stepFolders(folder)) {
            SafeTensors.removeStaleTemporaries(p);
        }
        try (Stream<Path> all = Files.list(folder)) {
            for (Path p : all.filter(p -> p.getFileName().toString().startsWith(STEP_PREFIX)
                    && p.getFileName().toString().endsWith(".old")).toList()) {
                AtomicFolder.deleteTree(p);
            }
        }
        return AtomicFolder.recover(folder.resolve(LAST)) ? folder.resolve(LAST) : null;
    }

    /**
     * Loads the weights of {@code checkpoint} (a folder this class wrote) into the trainer's
     * model and makes its next {@code fit} continue from there ({@link Trainer#restore}). Tensors
     * of the model file whose keys start with {@code myelin.} (a run's input preprocessing) are
     * not the model's and are left out.
     */
    public static TrainState resume(Path checkpoint, Trainer trainer) throws IOException {
        Path model = checkpoint.resolve(MODEL_FILE);
        if (!Files.isRegularFile(model)) {
            throw new CheckpointException(model, "no such file; expected a checkpoint folder written by"
                    + " ModelCheckpoint (it holds " + MODEL_FILE + ", " + TrainState.VALUES_FILE + " and "
                    + TrainState.TENSORS_FILE + ")");
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        SafeTensors.read(model).tensors().forEach((k, t) -> {
            if (!k.startsWith("myelin.")) {
                weights.put(k, t);
            }
        });
        try {
            trainer.model().loadStateDict(weights, true);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(model, e.getMessage() + "; resume with the model of the run that wrote it");
        }
        TrainState state = TrainState.read(checkpoint);
        trainer.restore(state);
        return state;
    }
}
