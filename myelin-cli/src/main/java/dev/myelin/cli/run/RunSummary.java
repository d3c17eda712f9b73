package dev.myelin.cli.run;

import dev.myelin.io.Version;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.nn.ModelSummary;
import dev.myelin.kernel.KernelProvider;
import dev.myelin.kernel.Parallel;
import dev.myelin.nn.Module;
import dev.myelin.train.EarlyStopping;
import dev.myelin.train.EpochMetrics;
import dev.myelin.train.Evaluation;
import dev.myelin.train.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A run's {@code summary.json}: the run's settings and environment ({@link #of}), the figures of
 * a trained model ({@link #putRun}: test accuracy and loss, epochs, best and checkpoint epoch,
 * throughput, why it stopped, early stopping's epochs). NaN is written as null: JSON has no NaN.
 */
public final class RunSummary {
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunSummary() {
    }

    /** A summary that starts with the run's name. */
    public static ObjectNode of(RunConfig c) {
        return JSON.createObjectNode().put("name", c.name());
    }

    /** The fields every run has: sample counts, parameters, seed, threads, kernels, versions. */
    public static ObjectNode putEnvironment(ObjectNode s, RunConfig c, PreparedData d, Module model) {
        s.put("train_samples", d.train().size());
        s.put("validation_samples", d.validation() == null ? 0 : d.validation().size());
        s.put("test_samples", d.test().size());
        s.put("preprocess", d.preprocessing().toString());
        s.put("parameters", model.parameterCount());
        s.put("seed", c.seed());
        s.put("threads", Parallel.threads());
        s.put("kernels", KernelProvider.get().name());
        s.put("java_version", Runtime.version().toString());
        s.put("myelin_version", Version.get());
        return s;
    }

    /**
     * The model summary ({@link ModelSummary}) under {@code model}: its layers with name, depth,
     * type, description, output shape (null for a block's child), parameters and trainability,
     * then the totals.
     */
    public static ObjectNode putModel(ObjectNode s, ModelSummary m) {
        ObjectNode o = s.putObject("model");
        o.set("input_shape", JSON.valueToTree(m.inputShape()));
        var layers = o.putArray("layers");
        for (ModelSummary.Row r : m.rows()) {
            ObjectNode l = layers.addObject().put("name", r.name()).put("depth", r.depth()).put("type", r.type())
                    .put("description", r.description());
            l.set("output_shape", r.outputShape() == null ? null : JSON.valueToTree(r.outputShape()));
            l.put("parameters", r.parameters()).put("trainable", r.trainability());
        }
        o.put("parameters", m.parameters()).put("trainable", m.trainable()).put("frozen", m.frozen())
                .put("buffers", m.buffers()).put("activation_values", m.activationValues())
                .put("nested", m.rows().stream().anyMatch(r -> r.depth() > 0));
        return s;
    }

    /** The figures of one trained model (the run's, or an ensemble member's). */
    public static ObjectNode putRun(ObjectNode s, ModelTraining.Result r, RunConfig c) {
        Evaluation test = r.test();
        number(s, "test_accuracy", test == null ? Double.NaN : test.accuracy());
        number(s, "test_loss", test == null ? Double.NaN : test.loss());
        List<EpochMetrics> epochs = r.history().epochs();
        s.put("epochs", epochs.size());
        s.put("epochs_requested", c.epochs());
        s.put("best_epoch", bestEpoch(epochs));
        s.put("checkpoint_epoch", r.checkpointEpoch());
        s.put("wall_seconds", r.wallSeconds());
        double trainSeconds = epochs.stream().mapToDouble(EpochMetrics::seconds).sum();
        number(s, "train_samples_per_second", trainSeconds > 0 ? (double) r.trainSamples() * epochs.size() / trainSeconds
                : Double.NaN);
        History h = r.history();
        s.put("diverged", h.diverged());
        s.put("stop_reason", h.stopReason());
        if (r.earlyStopping() != null) {
            s.set("early_stopping", earlyStopping(r.earlyStopping()));
        }
        return s;
    }

    /** What early stopping did: the monitored metric, its best value and epoch, the stop and restore epochs. */
    private static ObjectNode earlyStopping(EarlyStopping es) {
        ObjectNode o = JSON.createObjectNode();
        o.put("monitor", es.options().monitor());
        o.put("mode", es.maximizes() ? "max" : "min");
        number(o, "best_value", es.best());
        o.put("best_epoch", es.bestEpoch());
        o.put("stopped", es.stoppedEpoch() > 0);
        o.put("stopped_epoch", es.stoppedEpoch());
        o.put("restored_epoch", es.restoredEpoch());
        return o;
    }

    /** Writes {@code summary.json} atomically (a temporary file, then a rename), so a kill never leaves half of it. */
    public static void write(Path dir, ObjectNode s) throws IOException {
        Path file = dir.resolve(RunFolder.SUMMARY);
        Path tmp = dir.resolve("." + RunFolder.SUMMARY + ".tmp");
        JSON.writeValue(tmp.toFile(), s);
        java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The run folder's {@code summary.json}, or an empty object when there is none or it cannot be read. */
    public static ObjectNode read(Path dir) {
        Path file = dir.resolve(RunFolder.SUMMARY);
        try {
            return java.nio.file.Files.isRegularFile(file) && JSON.readTree(file.toFile()) instanceof ObjectNode o
                    ? o : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** "test accuracy 0.8812, test loss 0.3301" (only the loss for regression). */
    public static String testLine(Evaluation test) {
        return Double.isNaN(test.accuracy())
                ? String.format(Locale.ROOT, "test loss %.4f", test.loss())
                : String.format(Locale.ROOT, "test accuracy %.4f, test loss %.4f", test.accuracy(), test.loss());
    }

    public static void number(ObjectNode s, String key, double v) {
        if (Double.isFinite(v)) {
            s.put(key, v);
        } else {
            s.putNull(key);
        }
    }

    /** The epoch with the lowest validation loss when there is validation, else the last epoch (0 if none). */
    public static int bestEpoch(List<EpochMetrics> epochs) {
        int best = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch();
        double bestLoss = Double.POSITIVE_INFINITY;
        for (EpochMetrics m : epochs) {
            if (!Double.isNaN(m.valLoss()) && m.valLoss() < bestLoss) {
                bestLoss = m.valLoss();
                best = m.epoch();
            }
        }
        return best;
    }
}
