package dev.myelin.cli.config;

import dev.myelin.model.bind.Source;
import dev.myelin.model.bind.Fields;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.data.CsvDataset;
import dev.myelin.data.PreprocessStep;
import dev.myelin.data.Splits;
import dev.myelin.data.augment.Transform;
import java.nio.file.Path;
import java.util.List;

/**
 * The config's {@code data} section.
 *
 * @param dataset     fashion-mnist, mnist, cifar10, disc or csv
 * @param dir         the data directory: for (fashion-)mnist and cifar10 null means {@code $MYELIN_DATA} or the
 *                    default; for csv the directory the file names are relative to (default: the
 *                    config file's directory). A relative dir in a config file is relative to
 *                    that file; the resolved config writes it absolute
 * @param validation  the fraction of the training set held out for validation (seeded), 0 for none
 * @param trainLimit  keep only the first so many training samples, 0 for all
 * @param testLimit   keep only the first so many test samples, 0 for all
 * @param preprocess  the input transforms, fitted on the training part only, in order (see
 *                    {@link PreprocessConfig}); {@code standardize: MODE} in a config is read as a
 *                    one-step list
 * @param trainSize   disc: training points
 * @param testSize    disc: test points
 * @param train       csv: the training file
 * @param test        csv: the test file
 * @param csv         csv: how the tables are read (the core's options: label column, task, header,
 *                    separator, feature or excluded columns); null for other data sets
 * @param augment     image transforms applied to training samples as they are batched (empty: none);
 *                    see {@link AugmentConfig}
 * @param classes     image data sets: the classes kept, relabeled 0, 1, ... in this order (empty: all)
 */
public record DataConfig(String dataset, String dir, double validation, int trainLimit, int testLimit,
                         List<PreprocessStep> preprocess,
                         int trainSize, int testSize, String train, String test, CsvDataset.Options csv,
                         List<Transform> augment, List<Integer> classes) {
    public static final List<String> DATASETS = List.of("fashion-mnist", "mnist", "cifar10", "disc", "csv");
    public static final List<String> STANDARDIZE = List.of("scalar", "per-feature", "none");
    public static final List<String> TASKS = List.of("classification", "regression");

    public DataConfig {
        preprocess = List.copyOf(preprocess);
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    /** True for data sets whose samples are images [C, H, W]. */
    static boolean isImages(String dataset) {
        return !dataset.equals("disc") && !dataset.equals("csv");
    }

    public boolean isMnist() {
        return dataset.equals("fashion-mnist") || dataset.equals("mnist");
    }

    /** A copy with {@code dir} replaced (the {@code --data} option of eval; a remote folder's local copy). */
    public DataConfig withDir(String d) {
        return new DataConfig(dataset, d, validation, trainLimit, testLimit, preprocess, trainSize, testSize, train, test, csv,
                augment, classes);
    }

    /** csv: the label column (null for other data sets). */
    public String label() {
        return csv == null ? null : csv.labelColumn();
    }

    /**
     * Whether {@code dir} names a folder on another file system ({@code hdfs://}, {@code s3a://},
     * {@code file://}): read through Hadoop's file system, by {@code --spark} runs only.
     */
    public static boolean isRemote(String dir) {
        return dir != null && dir.matches("[A-Za-z][A-Za-z0-9+.-]*://.*");
    }

    /** The csv file {@code name}, relative to {@code dir}. */
    public Path csvPath(String name) {
        Path p = Path.of(name);
        return p.isAbsolute() || dir == null ? p : Path.of(dir).resolve(p);
    }

    public ObjectNode toTree() {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("dataset", dataset);
        if (!dataset.equals("disc")) {
            o.put("dir", dir);
        }
        o.put("validation", validation).put("train_limit", trainLimit).put("test_limit", testLimit);
        o.set("preprocess", PreprocessConfig.toTree(preprocess));
        switch (dataset) {
            case "disc" -> o.put("train_size", trainSize).put("test_size", testSize);
            case "csv" -> csvTree(o.put("train", train).put("test", test));
            default -> { }
        }
        o.set("augment", AugmentConfig.toTree(augment));
        if (isImages(dataset)) {
            classes.forEach(o.putArray("classes")::add);
            if (classes.isEmpty()) {
                o.putArray("classes");
            }
        }
        return o;
    }

    private void csvTree(ObjectNode o) {
        o.put("label", csv.labelColumn()).put("task", csv.task().name().toLowerCase(java.util.Locale.ROOT))
                .put("header", csv.header()).put("separator", csv.separator() == '\t' ? "tab"
                        : String.valueOf(csv.separator()));
        csv.featureColumns().forEach(o.putArray("features")::add);
        csv.exclude().forEach(o.putArray("exclude")::add);
    }

    /**
     * @param baseDir the directory csv paths are relative to when {@code dir} is not given (the
     *                config file's directory), or null to leave them as they are
     */
    static DataConfig parse(Source src, JsonNode node, Path baseDir) {
        Fields f = Fields.of(src, "data", node, "Write e.g. `data: {dataset: fashion-mnist}`");
        String dataset = f.choice("dataset", "fashion-mnist", DATASETS);
        String dir = f.text("dir", null, false, "dir: /usr/share/datasets/fashion-mnist");
        double validation = f.number("validation", 0.0, "validation: 0.1");
        f.check("validation", validation, Splits.isValidationFraction(validation), Splits.VALIDATION_FRACTION,
                "validation: 0.1");
        int trainLimit = f.integer("train_limit", 0, 0, "train_limit: 1000");
        int testLimit = f.integer("test_limit", 0, 0, "test_limit: 1000");
        List<PreprocessStep> preprocess = preprocess(src, f);
        int trainSize = 0;
        int testSize = 0;
        String train = null;
        String test = null;
        CsvDataset.Options csv = null;
        switch (dataset) {
            case "disc" -> {
                trainSize = f.integer("train_size", 1000, 1, "train_size: 1000");
                testSize = f.integer("test_size", 1000, 1, "test_size: 1000");
            }
            case "csv" -> {
                train = f.text("train", null, true, "train: data/train.csv");
                test = f.text("test", null, true, "test: data/test.csv");
                csv = csvOptions(src, f);
                if (dir == null && baseDir != null) {
                    dir = baseDir.toAbsolutePath().normalize().toString();
                }
            }
            default -> { }
        }
        if (dir != null && baseDir != null && !isRemote(dir) && !Path.of(dir).isAbsolute()) {
            // A relative dir in a config file means relative to that file, wherever myelin runs.
            dir = baseDir.resolve(dir).toAbsolutePath().normalize().toString();
        }
        List<Transform> augment = AugmentConfig.parse(src, f.raw("augment"));
        if (!augment.isEmpty() && !isImages(dataset)) {
            throw src.error("data.augment", "an image data set (fashion-mnist, mnist, cifar10) for image transforms",
                    "dataset " + dataset + ", whose samples are flat feature vectors", "Remove data.augment");
        }
        List<Integer> classes = isImages(dataset) ? classes(f) : List.of();
        f.finish("for dataset " + dataset);
        checkAugmentSeesImages(src, preprocess, augment);
        return new DataConfig(dataset, dir, validation, trainLimit, testLimit, preprocess, trainSize, testSize, train, test, csv,
                augment, classes);
    }

    /**
     * The csv keys: {@code label} (a name, or a 0-based position with {@code header: false}),
     * {@code task}, {@code header} (default true), {@code separator} (default {@code ","};
     * {@code tab} for tabs), {@code features} or {@code exclude} (lists of column names).
     */
    private static CsvDataset.Options csvOptions(Source src, Fields f) {
        String label = f.text("label", null, true, "label: species");
        CsvDataset.Task task = f.choice("task", "classification", TASKS).equals("regression")
                ? CsvDataset.Task.REGRESSION : CsvDataset.Task.CLASSIFICATION;
        boolean header = f.bool("header", true);
        String sep = f.text("separator", ",", false, "separator: \";\"");
        if (!sep.equals("tab") && sep.length() != 1) {
            throw src.error(f.path("separator"), "one character, e.g. \",\" or \";\", or tab", "\"" + sep + "\"",
                    "Write e.g. separator: \";\"");
        }
        char separator = sep.equals("tab") ? '\t' : sep.charAt(0);
        List<String> features = names(f, "features");
        List<String> exclude = names(f, "exclude");
        try {
            return new CsvDataset.Options(label, task, features, separator, header, exclude);
        } catch (IllegalArgumentException e) {
            throw src.error(f.path(!features.isEmpty() && !exclude.isEmpty() ? "exclude" : "label"),
                    "columns that are either the label, features or excluded", e.getMessage().replace("CsvDataset: ", ""),
                    "Give each column one role");
        }
    }

    /** A list of column names ({@code features: [a, b]}), empty when absent or {@code []}. */
    private static List<String> names(Fields f, String key) {
        JsonNode n = f.raw(key);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw f.error(key, "a list of column names", n, "Write e.g. " + key + ": [sepal_length, petal_width]");
        }
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual() && !e.isNumber()) {
                throw f.error(key, "column names", e, "Write e.g. " + key + ": [sepal_length, petal_width]");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** {@code classes: [5, 6]}: at least two distinct class indices of the data set's ten. */
    private static List<Integer> classes(Fields f) {
        JsonNode n = f.raw("classes");
        if (n == null || n.isNull()) {
            return List.of();
        }
        String example = "classes: [5, 6] (keeps classes 5 and 6, relabeled 0 and 1)";
        if (!n.isArray() || n.size() == 1) {
            throw f.error("classes", "a list of at least two class indices", n, "Write e.g. " + example);
        }
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.canConvertToExactIntegral() || e.asInt() < 0 || e.asInt() > 9 || out.contains(e.asInt())) {
                throw f.source().error(f.path("classes") + "[" + i + "]", "a class index in 0..9 not listed before",
                        Source.describe(e), "Write e.g. " + example);
            }
            out.add(e.asInt());
        }
        return out;
    }

    /** Image transforms need image samples: a PCA step turns them into flat component vectors first. */
    private static void checkAugmentSeesImages(Source src, List<PreprocessStep> preprocess, List<Transform> augment) {
        for (int i = 0; i < preprocess.size() && !augment.isEmpty(); i++) {
            PreprocessStep s = preprocess.get(i);
            if (s instanceof PreprocessStep.Pca || s instanceof PreprocessStep.PcaWhiten) {
                throw src.error("data.augment", "image samples [C, H, W] for image transforms",
                        "data.preprocess[" + i + "] (" + s.name() + "), which turns each image into a flat vector"
                                + " of principal components", "Remove data.augment, or use zca (it keeps the image"
                                + " shape) instead of " + s.name());
            }
        }
    }

    /** {@code preprocess: [...]}, or the older {@code standardize: MODE}; not both. */
    private static List<PreprocessStep> preprocess(Source src, Fields f) {
        if (f.has("preprocess") && f.has("standardize")) {
            throw f.error("standardize", "either data.standardize or data.preprocess, not both",
                    f.raw("standardize"), "Remove data.standardize and put the step first in the list, e.g."
                            + " `preprocess: [{standardize: {mode: per-feature}}, {zca: {eps: 0.1}}]`");
        }
        JsonNode list = f.raw("preprocess");
        if (list != null) {
            return PreprocessConfig.parse(src, f.path("preprocess"), list);
        }
        return PreprocessConfig.fromStandardize(f.choice("standardize", "scalar", STANDARDIZE));
    }
}
