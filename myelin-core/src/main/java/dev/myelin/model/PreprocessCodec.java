package dev.myelin.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.data.Preprocessing;
import dev.myelin.data.Preprocessor;
import dev.myelin.data.Projection;
import dev.myelin.data.Resizer;
import dev.myelin.data.Standardizer;
import dev.myelin.io.CheckpointException;
import dev.myelin.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fitted input preprocessing inside a checkpoint. The metadata key {@code myelin.preprocess}
 * holds a JSON list of the steps; vectors of a standardizer are written inline, and the mean and
 * matrix of a projection (PCA, PCA whitening, ZCA: up to D×D floats, too big for a JSON header)
 * are tensors under the reserved prefix {@value #PREFIX}, which {@link SavedModel#load} takes out
 * of the model's state dict:
 * <pre>
 * {"steps": [
 *   {"type": "standardize", "mode": "scalar", "mean": [0.286], "std": [0.353]},
 *   {"type": "zca", "eps": 0.1, "inputs": 784, "outputs": 784,
 *    "tensors": {"mean": "myelin.preprocess.1.mean", "matrix": "myelin.preprocess.1.matrix"}}]}
 * </pre>
 * Checkpoints written before the pipeline existed hold
 * {@code {"standardize": "scalar"|"per-feature"|"none", "mean": [..], "std": [..]}}, which is still read.
 */
public final class PreprocessCodec {
    /** Tensor keys starting with this are preprocessing, not model state. */
    public static final String PREFIX = "myelin.preprocess.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PreprocessCodec() {
    }

    /** The metadata text for {@code p}; the projections' tensors are put into {@code tensors}. */
    public static String write(Preprocessing p, Map<String, Tensor> tensors) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode steps = root.putArray("steps");
        List<Preprocessor> list = p.steps();
        for (int i = 0; i < list.size(); i++) {
            ObjectNode o = steps.addObject();
            switch (list.get(i)) {
                case Standardizer st -> {
                    o.put("type", "standardize").put("mode", st.isScalar() ? "scalar" : "per-feature");
                    floats(o.putArray("mean"), st.mean());
                    floats(o.putArray("std"), st.std());
                }
                case Projection pr -> {
                    String mean = PREFIX + i + ".mean";
                    String matrix = PREFIX + i + ".matrix";
                    o.put("type", pr.kind().configName()).put("eps", pr.eps()).put("inputs", pr.inputSize())
                            .put("outputs", pr.components());
                    o.putObject("tensors").put("mean", mean).put("matrix", matrix);
                    tensors.put(mean, Tensor.of(pr.mean(), pr.inputSize()));
                    tensors.put(matrix, Tensor.of(pr.matrix(), pr.components(), pr.inputSize()));
                }
                case Resizer r -> o.put("type", "resize").put("height", r.height()).put("width", r.width());
            }
        }
        return root.toString();
    }

    /** The pipeline described by {@code text}, with its tensors from {@code tensors}. */
    public static Preprocessing read(Path file, String text, Map<String, Tensor> tensors) throws CheckpointException {
        if (text == null) {
            throw new CheckpointException(file, "no myelin.preprocess in its metadata; expected the preprocessing"
                    + " written by `myelin train`");
        }
        JsonNode root = parse(file, text);
        if (!root.has("steps")) {
            return legacy(file, root, text);
        }
        List<Preprocessor> steps = new ArrayList<>();
        JsonNode list = root.get("steps");
        for (int i = 0; i < list.size(); i++) {
            steps.add(step(file, list.get(i), i, tensors));
        }
        return Preprocessing.of(steps);
    }

    private static Preprocessor step(Path file, JsonNode s, int i, Map<String, Tensor> tensors)
            throws CheckpointException {
        String type = s.path("type").asText();
        String where = "myelin.preprocess step " + i + " (" + type + ")";
        try {
            if (type.equals("standardize")) {
                return Standardizer.of(floats(file, where, s.path("mean")), floats(file, where, s.path("std")));
            }
            if (type.equals("resize")) {
                return Resizer.to(s.path("height").asInt(), s.path("width").asInt());
            }
            Projection.Kind kind = Projection.Kind.named(type);
            if (kind == null) {
                throw new CheckpointException(file, where + ": expected a step type standardize, pca, pca_whiten,"
                        + " zca or resize, found '" + type + "'; was it written by a newer Myelin?");
            }
            Tensor mean = tensor(file, where, tensors, s.path("tensors").path("mean").asText());
            Tensor matrix = tensor(file, where, tensors, s.path("tensors").path("matrix").asText());
            return Projection.of(kind, s.path("eps").asDouble(), mean.toArray(), matrix.toArray());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, where + ": " + e.getMessage());
        }
    }

    private static Preprocessing legacy(Path file, JsonNode p, String text) throws CheckpointException {
        String mode = p.path("standardize").asText();
        if (mode.equals("none")) {
            return Preprocessing.none();
        }
        if (!mode.equals("scalar") && !mode.equals("per-feature")) {
            throw new CheckpointException(file, "myelin.preprocess: expected {\"steps\": [...]} or the older"
                    + " {\"standardize\": \"scalar\"|\"per-feature\"|\"none\", ...}, found " + text);
        }
        String where = "myelin.preprocess";
        try {
            return Preprocessing.of(List.of(Standardizer.of(floats(file, where, p.path("mean")),
                    floats(file, where, p.path("std")))));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, where + ": " + e.getMessage());
        }
    }

    private static Tensor tensor(Path file, String where, Map<String, Tensor> tensors, String key)
            throws CheckpointException {
        Tensor t = tensors.get(key);
        if (t == null) {
            throw new CheckpointException(file, where + ": expected the tensor '" + key + "' in the file, found none;"
                    + " the checkpoint is incomplete, train again");
        }
        return t;
    }

    private static float[] floats(Path file, String where, JsonNode a) throws CheckpointException {
        if (!a.isArray() || a.isEmpty()) {
            throw new CheckpointException(file, where + ": expected non-empty lists mean and std, found " + a);
        }
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) a.get(i).asDouble();
        }
        return f;
    }

    private static void floats(ArrayNode a, float[] values) {
        for (float v : values) {
            a.add(v);
        }
    }

    private static JsonNode parse(Path file, String text) throws CheckpointException {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CheckpointException(file, "myelin.preprocess: expected JSON, found " + text);
        }
    }
}
