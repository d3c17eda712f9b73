package dev.myelin.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.myelin.tensor.GradMode;
import dev.myelin.data.ArrayDataset;
import dev.myelin.data.DataException;
import dev.myelin.data.Dataset;
import dev.myelin.data.Preprocessing;
import dev.myelin.io.CheckpointException;
import dev.myelin.io.SafeTensors;
import dev.myelin.io.Version;
import dev.myelin.model.bind.ConfigException;
import dev.myelin.model.bind.Source;
import dev.myelin.nn.Ensemble;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.tensor.Rng;
import dev.myelin.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A trained model as a file: its weights, its description ({@link ModelSpec}), the input
 * preprocessing fitted on its training data, and the names of its classes and input features.
 * {@link #load} gives it back with {@link #predict}, so that a Java program uses a model trained by
 * {@code myelin train} (or by its own code) without the command line, as
 * {@code keras.saving.load_model} does:
 * <pre>{@code
 * SavedModel m = SavedModel.load(Path.of("runs/fashion-mlp"));
 * int[] classes = m.predictClasses(Tensor.of(pixels, n, 1, 28, 28));   // raw inputs; preprocessing is applied
 * Module net = m.model();                                            // e.g. to fine-tune it
 * }</pre>
 *
 * <p>The file is a {@code model.safetensors}: the state dict under PyTorch's keys
 * ({@code 1.weight}, {@code 2.running_mean}, {@code num_batches_tracked} as I64) and, in its
 * {@code __metadata__}:
 * <pre>
 * format             "pt" (the safetensors convention for PyTorch state dicts)
 * myelin.config      the description as JSON: a run's whole resolved config (its model, init and
 *                    loss keys are the model's), or only those three keys
 * myelin.preprocess  the input preprocessing as a JSON list of steps ({@link PreprocessCodec}); a
 *                    PCA/whitening step's mean and matrix are tensors named
 *                    {@code myelin.preprocess.<step>.mean|matrix}
 * myelin.classes     the label text of each class index, as a JSON list (csv classification)
 * myelin.features    the input features' names in the order of the model's inputs (csv)
 * myelin.epoch       the last completed epoch, or -1 for weights that no training run wrote
 * myelin.input_shape the shape of one input sample before preprocessing, e.g. [1,28,28]
 * myelin.num_classes the number of classes, 0 for regression
 * myelin.version     the Myelin version that wrote it
 * </pre>
 * Without a PCA or whitening step the tensors are exactly the model's state dict, so
 * {@code model.load_state_dict(safetensors.torch.load_file(...))} works with strict keys in
 * PyTorch; with one, leave out the keys that start with {@code myelin.preprocess.} first.
 */
public final class SavedModel {
    /** The file name inside a run folder. */
    public static final String FILE_NAME = "model.safetensors";
    /** The folder of an ensemble run that holds its members, {@code members/0/}, {@code members/1/}, ... . */
    public static final String MEMBERS = "members";
    /** The epoch of weights that no training run wrote. */
    public static final int NO_EPOCH = -1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, Tensor> state;
    private final ModelSpec spec;
    private final String config;
    private final Preprocessing preprocessing;
    private final List<String> classNames;
    private final List<String> featureNames;
    private final int epoch;
    private final int[] inputShape;
    private final int numClasses;
    private Module model;

    private SavedModel(Path file, Map<String, Tensor> state, ModelSpec spec, String config, Preprocessing preprocessing,
                       List<String> classNames, List<String> featureNames, int epoch, int[] inputShape, int numClasses,
                       Module model) {
        this.file = file;
        this.state = state;
        this.spec = spec;
        this.config = config;
        this.preprocessing = preprocessing;
        this.classNames = List.copyOf(classNames);
        this.featureNames = List.copyOf(featureNames);
        this.epoch = epoch;
        this.inputShape = inputShape == null ? null : inputShape.clone();
        this.numClasses = numClasses;
        this.model = model;
    }

    /**
     * A model built from {@code spec} (by {@link ModelSpec#build}) for raw samples of
     * {@code inputShape} and {@code numClasses} classes (0: regression), to be saved: no
     * preprocessing, no class or feature names, no epoch until the {@code with...} methods add
     * them. Its weights are the model's own, live.
     */
    public static SavedModel of(Module model, ModelSpec spec, int[] inputShape, int numClasses) {
        return new SavedModel(null, model.stateDict(), spec, spec.toJson(), Preprocessing.none(), List.of(), List.of(),
                NO_EPOCH, inputShape, numClasses, model);
    }

    /** This model with the preprocessing its inputs go through (fitted on its training data). */
    public SavedModel withPreprocessing(Preprocessing p) {
        return new SavedModel(file, state, spec, config, p, classNames, featureNames, epoch, inputShape, numClasses, model);
    }

    /** This model with the label text of each class index. */
    public SavedModel withClassNames(List<String> names) {
        return new SavedModel(file, state, spec, config, preprocessing, names, featureNames, epoch, inputShape, numClasses,
                model);
    }

    /** This model with the names of its input features, in the order of its inputs. */
    public SavedModel withFeatureNames(List<String> names) {
        return new SavedModel(file, state, spec, config, preprocessing, classNames, names, epoch, inputShape, numClasses,
                model);
    }

    /** This model marked as the weights after epoch {@code e}. */
    public SavedModel withEpoch(int e) {
        return new SavedModel(file, state, spec, config, preprocessing, classNames, featureNames, e, inputShape, numClasses,
                model);
    }

    /**
     * This model with a whole run config as its description (JSON; its {@code model}, {@code init}
     * and {@code loss} keys must be this model's), e.g. so that {@code myelin eval} finds the data.
     */
    public SavedModel withConfig(String configJson) {
        return new SavedModel(file, state, spec, configJson, preprocessing, classNames, featureNames, epoch, inputShape,
                numClasses, model);
    }

    /** Writes the model atomically (a temporary file, then a rename) to {@code target}. */
    public void save(Path target) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>(state);
        meta.put("format", "pt");
        meta.put("myelin.config", config);
        meta.put("myelin.preprocess", PreprocessCodec.write(preprocessing, tensors));
        if (!classNames.isEmpty()) {
            meta.put("myelin.classes", JSON.valueToTree(classNames).toString());
        }
        if (!featureNames.isEmpty()) {
            meta.put("myelin.features", JSON.valueToTree(featureNames).toString());
        }
        meta.put("myelin.epoch", Integer.toString(epoch));
        if (inputShape != null) {
            meta.put("myelin.input_shape", JSON.valueToTree(inputShape).toString());
        }
        meta.put("myelin.num_classes", Integer.toString(numClasses));
        meta.put("myelin.version", Version.get());
        Set<String> integers = model().integerStateKeys();
        SafeTensors.write(target, tensors, meta, integers);
    }

    /**
     * Reads a saved model: a {@code model.safetensors} written by {@link #save} or
     * {@code myelin train}, or the run folder holding one. The model itself is built on first use.
     */
    public static SavedModel load(Path fileOrFolder) throws IOException {
        Path f = Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve(FILE_NAME) : fileOrFolder;
        if (!Files.isRegularFile(f)) {
            Path member = fileOrFolder.resolve(MEMBERS).resolve("0");
            if (Files.isDirectory(member)) {
                throw new CheckpointException(f, "no such file: " + fileOrFolder + " is an ensemble run (myelin train"
                        + " --ensemble K); load one member, e.g. " + member + ", or evaluate the ensemble with"
                        + " `myelin eval " + fileOrFolder + "`");
            }
            throw new CheckpointException(f, Files.isDirectory(fileOrFolder)
                    ? "no such file; expected a run folder written by `myelin train` (it holds " + FILE_NAME + ")"
                    : "no such file; expected a " + FILE_NAME + " written by `myelin train`, or its run folder");
        }
        SafeTensors.Contents c = SafeTensors.read(f);
        Map<String, String> meta = c.metadata();
        String json = meta.get("myelin.config");
        if (json == null) {
            throw new CheckpointException(f, "no myelin.config in its metadata; expected a model saved by Myelin, which"
                    + " records the model's description there. For weights from elsewhere (a PyTorch state_dict),"
                    + " give the config of their model: --config CONFIG.yaml " + f);
        }
        ModelSpec spec = ModelSpec.read(new Source(f + " (metadata myelin.config)"), parse(f, json, "myelin.config"));
        Map<String, Tensor> state = new LinkedHashMap<>();
        Map<String, Tensor> pre = new LinkedHashMap<>();
        c.tensors().forEach((k, t) -> (k.startsWith(PreprocessCodec.PREFIX) ? pre : state).put(k, t));
        Preprocessing preprocessing = PreprocessCodec.read(f, meta.get("myelin.preprocess"), pre);
        int[] shape = meta.containsKey("myelin.input_shape") ? inputShape(f, meta.get("myelin.input_shape")) : null;
        return new SavedModel(f, state, spec, json, preprocessing, texts(f, meta, "myelin.classes"),
                texts(f, meta, "myelin.features"), integer(f, meta, "myelin.epoch", 0), shape,
                integer(f, meta, "myelin.num_classes", -1), null);
    }

    /** The file it was read from or last saved to; null for a model not read from a file. */
    public Path file() {
        return file;
    }

    /** The weights and buffers under their state-dict keys (without the preprocessing's tensors). */
    public Map<String, Tensor> state() {
        return state;
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The description as saved: a run's whole config, or the model's keys alone, as JSON text. */
    public String config() {
        return config;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** The label text of each class index; empty when the data had none (images, regression). */
    public List<String> classNames() {
        return classNames;
    }

    /** The input features' names in input order; empty for images. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** The last completed epoch of the run that wrote the weights, or {@link #NO_EPOCH}. */
    public int epoch() {
        return epoch;
    }

    /** True when the file records the input shape and class count (files before Myelin 0.1 do not). */
    public boolean knowsShapes() {
        return inputShape != null && numClasses >= 0;
    }

    /** The shape of one raw input sample (before preprocessing), e.g. {@code [1, 28, 28]}. */
    public int[] inputShape() {
        requireShapes();
        return inputShape.clone();
    }

    /** The number of classes; 0 for regression. */
    public int numClasses() {
        requireShapes();
        return numClasses;
    }

    /** The label text of class {@code k}: its saved name, else the index itself. */
    public String className(int k) {
        return k < classNames.size() ? classNames.get(k) : Integer.toString(k);
    }

    /**
     * The model with the saved weights loaded (every key must fit), built on first use for the
     * preprocessed input shape. It is the live model: training it changes this object's weights.
     */
    public Module model() {
        if (model == null) {
            requireShapes();
            Sequential m = spec.build(preprocessing.outputShape(inputShape), numClasses, new Rng(0));
            m.loadStateDict(state, true);
            model = m;
        }
        return model;
    }

    /**
     * The model's outputs for raw inputs of shape {@code [n, inputShape...]} (or {@code [n, d]}
     * with d the sample size): the saved preprocessing is applied, then the model runs in
     * evaluation mode without gradients. Classification gives logits ([n, classes], or [n, 1] for
     * bce_with_logits), regression the values.
     */
    public Tensor predict(Tensor inputs) {
        Module m = model();
        Tensor x = preprocess(inputs);
        boolean wasTraining = m.isTraining();
        m.eval();
        try (GradMode.Scope s = GradMode.noGrad()) {
            return m.forward(x);
        } finally {
            m.train(wasTraining);
        }
    }

    /** The class probabilities, [n, classes]: softmax of the logits, or [1 - p, p] for bce_with_logits. */
    public Tensor probabilities(Tensor inputs) {
        Ensemble.Output kind = spec.loss().ensembleOutput();
        if (kind == Ensemble.Output.VALUES) {
            throw new IllegalStateException("probabilities: the model is a regression model (loss "
                    + spec.loss().name() + "); use predict for its values");
        }
        Tensor out = predict(inputs);
        if (kind == Ensemble.Output.BINARY) {
            Tensor p = out.reshape(out.size(0), 1).sigmoid();
            return Tensor.concat(List.of(p.neg().add(1f), p), 1);
        }
        return out.softmax(1);
    }

    /** The most probable class of each input. */
    public int[] predictClasses(Tensor inputs) {
        float[] best = probabilities(inputs).argmax(1, false).toArray();
        int[] out = new int[best.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) best[i];
        }
        return out;
    }

    /**
     * Rows of a table whose columns are named {@code columns}, as the model's raw inputs
     * [rows, features]: each feature is found by its saved name ({@link #featureNames}), so any
     * column order works and other columns (an id, the label) are left out.
     */
    public Tensor inputs(List<String> columns, float[][] rows) {
        int[] at = featureColumns(columns, "columns");
        float[] x = new float[rows.length * at.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != columns.size()) {
                throw new IllegalArgumentException("rows[" + i + "]: expected " + columns.size() + " values (one per"
                        + " column), found " + rows[i].length);
            }
            for (int k = 0; k < at.length; k++) {
                x[i * at.length + k] = rows[i][at[k]];
            }
        }
        return Tensor.of(x, rows.length, at.length);
    }

    /**
     * The positions in {@code header} of the features the model was trained on, found by name;
     * {@code where} (a file and line, e.g. {@code "data.csv:1"}) starts the error when one is
     * missing or named twice.
     */
    public int[] featureColumns(List<String> header, String where) {
        if (featureNames.isEmpty()) {
            throw new IllegalStateException(where + ": the model records no feature names (it was trained on images,"
                    + " or by an older Myelin); give its inputs in the order it was trained with");
        }
        int[] columns = new int[featureNames.size()];
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < columns.length; k++) {
            String name = featureNames.get(k);
            columns[k] = header.indexOf(name);
            if (columns[k] < 0) {
                missing.add(name);
            } else if (header.lastIndexOf(name) != columns[k]) {
                throw new DataException(where + ": column '" + name + "' appears twice in the header; expected each"
                        + " feature column once");
            }
        }
        if (!missing.isEmpty()) {
            throw new DataException(where + ": expected the feature column" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing.stream().map(m -> "'" + m + "'").toList()) + " that the model was"
                    + " trained on, found the columns " + header + "; give every feature column of the training data"
                    + " (in any order)");
        }
        return columns;
    }

    /** Raw inputs through the saved preprocessing, shaped [n, preprocessed sample shape...]. */
    private Tensor preprocess(Tensor inputs) {
        requireShapes();
        int size = ArrayDataset.product(inputShape);
        if (inputs.dim() < 2 || inputs.numel() != (long) inputs.size(0) * size) {
            throw new IllegalArgumentException("inputs: expected a batch of samples of shape " + Arrays.toString(inputShape)
                    + " (" + size + " values each), found shape " + Arrays.toString(inputs.shape()));
        }
        int n = inputs.size(0);
        Dataset d = preprocessing.apply(new ArrayDataset(inputs.toArray(), inputShape, new float[n], numClasses));
        return d.features(IntStream.range(0, n).toArray());
    }

    private void requireShapes() {
        if (!knowsShapes()) {
            throw new ConfigException(file + ": written by an older Myelin, which did not record the input shape and"
                    + " class count (myelin.input_shape, myelin.num_classes); evaluate it with `myelin eval " + file
                    + "`, which reads them from its data, or retrain it");
        }
    }

    private static List<String> texts(Path f, Map<String, String> meta, String key) throws CheckpointException {
        List<String> out = new ArrayList<>();
        parse(f, meta.getOrDefault(key, "[]"), key).forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int integer(Path f, Map<String, String> meta, String key, int dflt) throws CheckpointException {
        String v = meta.get(key);
        try {
            return v == null ? dflt : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new CheckpointException(f, key + ": expected an integer, found " + v);
        }
    }

    /**
     * The metadata's {@code myelin.input_shape}: a JSON list of positive integers whose product (the values
     * of one sample) fits in a Java array.
     */
    static int[] inputShape(Path f, String text) throws CheckpointException {
        String key = "myelin.input_shape";
        JsonNode s = parse(f, text, key);
        String expected = key + ": expected a list of positive integers such as [1, 28, 28], found " + text;
        if (!s.isArray() || s.isEmpty()) {
            throw new CheckpointException(f, expected);
        }
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = s.get(i);
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 1) {
                throw new CheckpointException(f, expected);
            }
            shape[i] = d.asInt();
        }
        try {
            ArrayDataset.product(shape);
        } catch (ArithmeticException e) {
            throw new CheckpointException(f, key + ": " + text + " is more than " + Integer.MAX_VALUE
                    + " values per sample, the most one Java array holds; the file is damaged or not a Myelin model");
        }
        return shape;
    }

    private static JsonNode parse(Path f, String text, String key) throws CheckpointException {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CheckpointException(f, key + ": expected JSON, found " + text);
        }
    }
}
