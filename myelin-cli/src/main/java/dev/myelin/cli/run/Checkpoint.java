package dev.myelin.cli.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.cli.config.ConfigLoader;
import dev.myelin.cli.config.RunConfig;
import dev.myelin.data.Preprocessing;
import dev.myelin.io.CheckpointException;
import dev.myelin.io.SafeTensors;
import dev.myelin.model.PreprocessCodec;
import dev.myelin.nn.Module;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code model.safetensors}: the model's state dict under PyTorch's keys ({@code 1.weight},
 * {@code 2.running_mean}) and, in the safetensors {@code __metadata__}, what {@code myelin eval}
 * needs to rebuild the model and its input preprocessing:
 * <pre>
 * format             "pt" (the safetensors convention for PyTorch state dicts)
 * myelin.config      the resolved config as JSON text (same content as config.yaml)
 * myelin.preprocess  the input preprocessing fitted on the training split, as a JSON list of steps
 *                    (see {@link PreprocessCodec}); a PCA/whitening step's mean and matrix are
 *                    tensors named {@code myelin.preprocess.<step>.mean|matrix}
 * myelin.classes     csv classification: the label text of each class index, as a JSON list
 * myelin.features    csv: the feature columns' names in the order of the model's inputs, as a JSON
 *                    list; {@code predict} finds its input columns by these names
 * myelin.epoch       the last completed epoch (the restored one when early stopping restored the best)
 * myelin.input_shape the shape of one input sample before preprocessing, e.g. [1,28,28]   } absent in
 *                    older checkpoints:
 * myelin.num_classes the number of classes, 0 for regression         } then read from the data
 * myelin.version     the Myelin version that wrote it
 * </pre>
 * Without a PCA or whitening step the tensors are exactly the model's state dict, so
 * {@code model.load_state_dict(safetensors.torch.load_file(...))} works with strict keys in PyTorch;
 * with one, leave out the keys that start with {@code myelin.preprocess.} first.
 */
public record Checkpoint(Path file, Map<String, Tensor> state, RunConfig config, Preprocessing preprocessing,
                  List<String> classNames, List<String> featureNames, int epoch, int[] inputShape,
                  int numClasses) {
    public static final String FILE_NAME = "model.safetensors";
    /** The epoch of weights that did not come from {@code myelin train} ({@code --config}). */
    public static final int NO_EPOCH = -1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes the model's current state atomically (temporary file, then rename). */
    public static void save(Path file, Module model, RunConfig config, PreparedData data, int epoch) throws IOException {
        List<String> classes = data.classNames();
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.stateDict());
        meta.put("format", "pt");
        meta.put("myelin.config", ConfigLoader.toJson(config));
        meta.put("myelin.preprocess", PreprocessCodec.write(data.preprocessing(), tensors));
        if (!classes.isEmpty()) {
            meta.put("myelin.classes", JSON.valueToTree(classes).toString());
        }
        if (!data.featureNames().isEmpty()) {
            meta.put("myelin.features", JSON.valueToTree(data.featureNames()).toString());
        }
        meta.put("myelin.epoch", Integer.toString(epoch));
        meta.put("myelin.input_shape", JSON.valueToTree(data.inputShape()).toString());
        meta.put("myelin.num_classes", Integer.toString(data.numClasses()));
        meta.put("myelin.version", Version.get());
        SafeTensors.write(file, tensors, meta, model.integerStateKeys());
    }

    /** True when the checkpoint records the input shape and class count (older ones do not). */
    public boolean knowsShapes() {
        return inputShape != null && numClasses >= 0;
    }

    /** Reads a checkpoint written by {@code myelin train}: the file itself or the run folder holding it. */
    public static Checkpoint read(Path fileOrFolder) throws IOException {
        Path file = Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve(FILE_NAME) : fileOrFolder;
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, Files.isDirectory(fileOrFolder)
                    ? "no such file; expected a run folder written by `myelin train` (it holds " + FILE_NAME + ")"
                    : "no such file; expected a " + FILE_NAME + " written by `myelin train`, or its run folder");
        }
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        String json = meta.get("myelin.config");
        if (json == null) {
            throw new CheckpointException(file, "no myelin.config in its metadata; expected a checkpoint written by"
                    + " `myelin train`, which records the model's configuration there. For weights from elsewhere"
                    + " (a PyTorch state_dict), give the config of their model: --config CONFIG.yaml " + file);
        }
        Path folder = file.toAbsolutePath().getParent();
        String name = folder == null ? "model" : folder.getFileName().toString();
        RunConfig config = ConfigLoader.fromJson(json, name, file + " (metadata myelin.config)");
        Map<String, Tensor> state = new LinkedHashMap<>();
        Map<String, Tensor> pre = new LinkedHashMap<>();
        c.tensors().forEach((k, t) -> (k.startsWith(PreprocessCodec.PREFIX) ? pre : state).put(k, t));
        Preprocessing preprocessing = PreprocessCodec.read(file, meta.get("myelin.preprocess"), pre);
        List<String> classes = texts(file, meta, "myelin.classes");
        List<String> features = texts(file, meta, "myelin.features");
        int epoch = Integer.parseInt(meta.getOrDefault("myelin.epoch", "0"));
        int[] inputShape = null;
        if (meta.containsKey("myelin.input_shape")) {
            JsonNode shape = parse(file, meta.get("myelin.input_shape"), "myelin.input_shape");
            inputShape = new int[shape.size()];
            for (int i = 0; i < inputShape.length; i++) {
                inputShape[i] = shape.get(i).asInt();
            }
        }
        int numClasses = Integer.parseInt(meta.getOrDefault("myelin.num_classes", "-1"));
        return new Checkpoint(file, state, config, preprocessing, classes, features, epoch, inputShape, numClasses);
    }

    /** The JSON list of texts under {@code key}; empty when the metadata has none. */
    private static List<String> texts(Path file, Map<String, String> meta, String key) throws CheckpointException {
        List<String> out = new ArrayList<>();
        parse(file, meta.getOrDefault(key, "[]"), key).forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    private static JsonNode parse(Path file, String text, String key) throws CheckpointException {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file, key + ": expected JSON, found " + text);
        }
    }
}
