package dev.myelin.cli;

import dev.myelin.cli.run.PreparedData;
import dev.myelin.data.ArrayDataset;
import dev.myelin.data.CsvDataset;
import dev.myelin.data.CsvRows;
import dev.myelin.data.DataException;
import dev.myelin.data.DataFiles;
import dev.myelin.data.IdxReader;
import dev.myelin.data.Preprocessing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The samples {@code myelin predict} runs on, preprocessed as in training (the saved
 * {@code data.preprocess} steps): the saved config's test split, or a file of the user's:
 * <ul>
 *   <li>an IDX image file (MNIST layout, optionally gzipped): pixels scaled to [0, 1] as in training;
 *   <li>a CSV table, read as the training tables were (separator, header or none). The feature
 *       columns are found by the names the model was trained on (the checkpoint's
 *       {@code myelin.features}), in any order; a missing one is an error, other columns are left
 *       out. An optional label column (the config's {@code data.label}, or
 *       {@code label}) gives the true labels. A checkpoint without feature names (a model trained on
 *       images) takes every column but the label as a feature, in order.
 * </ul>
 *
 * @param data    the preprocessed samples (labels 0 when {@code labeled} is false)
 * @param labeled whether the true labels are known
 */
record PredictInput(ArrayDataset data, boolean labeled, String description) {

    /** The saved config's test split. */
    static PredictInput testSplit(SavedRun saved) {
        PreparedData d = saved.data();
        return new PredictInput(ArrayDataset.copyOf(d.test()), true, saved.config().data().dataset() + " test split");
    }

    /** The samples of {@code file}, an IDX image file or a CSV table (told apart by their first bytes). */
    static PredictInput file(Path file, SavedRun saved) throws IOException {
        int[] shape = saved.inputShape();
        int classes = saved.numClasses();
        PredictInput raw = isIdx(file) ? idx(file, shape, classes) : csv(file, saved, shape, classes);
        Preprocessing pre = saved.first().preprocessing();
        return pre.isEmpty() ? raw
                : new PredictInput(ArrayDataset.copyOf(pre.apply(raw.data())), raw.labeled(), raw.description());
    }

    /** IDX files start with two zero bytes; a CSV header does not. */
    private static boolean isIdx(Path file) throws IOException {
        try (InputStream in = DataFiles.open(file)) {
            byte[] b = in.readNBytes(2);
            return b.length == 2 && b[0] == 0 && b[1] == 0;
        }
    }

    private static PredictInput idx(Path file, int[] shape, int classes) {
        IdxReader.Idx images = IdxReader.read(file);
        int n = images.dims()[0];
        int[] sample = Arrays.copyOfRange(images.dims(), 1, images.dims().length);
        int want = size(shape);
        if (size(sample) != want) {
            throw new DataException(file + ": expected images of " + want + " values (the model's input, a sample of"
                    + " shape " + Arrays.toString(shape) + "), found " + n + " samples of shape "
                    + Arrays.toString(sample) + "; give images of the size the model was trained on");
        }
        float[] x = new float[images.data().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = images.unsigned(i) / 255f;
        }
        return new PredictInput(new ArrayDataset(x, shape, new float[n], classes), false, file + " (" + n + " images)");
    }

    private static PredictInput csv(Path file, SavedRun saved, int[] shape, int classes) throws IOException {
        CsvDataset.Options trained = saved.config().data().csv();
        String labelColumn = trained != null ? trained.labelColumn() : "label";
        // read as the training tables were: the same separator, with or without a header
        try (CsvRows in = trained != null ? CsvRows.open(file, trained.separator(), trained.header())
                : CsvRows.open(file, ',', true)) {
            List<String> header = in.names();
            int label = header.indexOf(labelColumn);
            List<String> names = saved.first().featureNames();
            int[] columns = names.isEmpty() ? byPosition(file, header, label, labelColumn, shape)
                    : saved.first().saved().featureColumns(header, file + ":1");
            Rows rows = new Rows();
            for (List<String> f = in.next(); f != null; f = in.next()) {
                rows.add(f, header, columns, label, saved, file, in.lineNumber());
            }
            if (rows.labels.isEmpty()) {
                throw new DataException(file + ": no data rows" + (in.hasHeader() ? " after the header" : "")
                        + "; expected at least one sample");
            }
            float[] y = new float[rows.labels.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = rows.labels.get(i);
            }
            return new PredictInput(new ArrayDataset(rows.features(), shape, y, classes), label >= 0,
                    file + " (" + y.length + " rows" + ignored(header, columns, label) + ")");
        }
    }

    /**
     * Every column but the label, in file order: for a model whose checkpoint names no feature
     * columns (trained on images, or written by an older Myelin).
     */
    private static int[] byPosition(Path file, List<String> header, int label, String labelColumn, int[] shape) {
        int width = header.size() - (label >= 0 ? 1 : 0);
        if (width != size(shape)) {
            throw new DataException(file + ":1: expected " + size(shape) + " feature columns (the model's input, a"
                    + " sample of shape " + Arrays.toString(shape) + ")" + (label >= 0 ? " besides the label column '"
                    + labelColumn + "'" : "") + ", found " + width + "; give one column per input feature, in the"
                    + " order used for training");
        }
        int[] columns = new int[width];
        for (int j = 0, k = 0; j < header.size(); j++) {
            if (j != label) {
                columns[k++] = j;
            }
        }
        return columns;
    }

    /** ", columns left out: id, note" for the header's columns that are neither features nor the label. */
    private static String ignored(List<String> header, int[] columns, int label) {
        List<String> out = new ArrayList<>(header);
        for (int c : columns) {
            out.set(c, null);
        }
        if (label >= 0) {
            out.set(label, null);
        }
        out.removeIf(java.util.Objects::isNull);
        return out.isEmpty() ? "" : ", columns left out: " + String.join(", ", out);
    }

    private static int size(int[] shape) {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    /** The parsed rows of a CSV input. */
    private static final class Rows {
        private final List<float[]> features = new ArrayList<>();
        private final List<Float> labels = new ArrayList<>();

        void add(List<String> f, List<String> header, int[] columns, int label, SavedRun saved, Path file,
                 int lineNo) {
            float[] x = new float[columns.length];
            for (int k = 0; k < columns.length; k++) {
                x[k] = number(f.get(columns[k]), file + ":" + lineNo + ": column '" + header.get(columns[k]) + "'");
            }
            features.add(x);
            labels.add(label < 0 ? 0f : label(f.get(label), saved, file + ":" + lineNo + ": column '"
                    + header.get(label) + "'"));
        }

        float[] features() {
            int d = features.get(0).length;
            float[] all = new float[features.size() * d];
            for (int i = 0; i < features.size(); i++) {
                System.arraycopy(features.get(i), 0, all, i * d, d);
            }
            return all;
        }

        /** The class index of a label text (the training classes' texts), or the target value for regression. */
        private static float label(String text, SavedRun saved, String where) {
            int classes = saved.numClasses();
            if (classes == 0) {
                return number(text, where);
            }
            for (int k = 0; k < classes; k++) {
                if (saved.className(k).equals(text)) {
                    return k;
                }
            }
            List<String> names = new ArrayList<>();
            for (int k = 0; k < classes; k++) {
                names.add(saved.className(k));
            }
            throw new DataException(where + ": expected one of the classes the model was trained on " + names
                    + ", found \"" + text + "\"");
        }

        private static float number(String s, String where) {
            try {
                float v = Float.parseFloat(s);
                if (Float.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new DataException(where + ": expected a finite number, found \"" + s + "\"");
        }
    }
}
