package dev.myelin.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A table read from a CSV file: a header row of column names (or none: {@link Options#header}),
 * then one sample per line, numeric feature columns and one label column. Gzip is detected by
 * its magic bytes. The features are every column but the label (and the excluded ones), or
 * the listed feature columns in their order.
 *
 * <p>Classification labels become class indices: integer labels that are exactly
 * {@code 0..K-1} are used as they are; any other labels (strings, or integers such as 1..K) are
 * sorted (numerically when all are numbers, else as strings) and numbered in that order. The
 * mapping is kept in {@link #classNames()} ({@code classNames().get(k)} is the label text of class
 * {@code k}). Regression labels are parsed as numbers.
 *
 * <p>Shape: features {@code [F]}, the feature columns in the order given (or the file's order).
 * Empty values and NaN/Infinity are rejected: impute or drop them before loading.
 */
public final class CsvDataset implements Dataset {
    private final ArrayDataset data;
    private final List<String> featureNames;
    private final List<String> classNames;

    /** What the label column holds. */
    public enum Task { CLASSIFICATION, REGRESSION }

    /**
     * How a table is read.
     *
     * @param labelColumn    the name of the label column (without a header: its 0-based position,
     *                       {@code "4"})
     * @param task           classification (labels mapped to class indices) or regression
     * @param featureColumns the feature columns in order, or empty for every column but the label
     *                       and the excluded ones
     * @param separator      the field separator, usually {@code ','} ({@code ';'}, tab)
     * @param header         whether the first line names the columns; without a header they are
     *                       named by position, {@code "0"}, {@code "1"}, ... ({@link CsvRows})
     * @param exclude        columns that are neither features nor the label (an id), when
     *                       {@code featureColumns} is empty
     */
    public record Options(String labelColumn, Task task, List<String> featureColumns, char separator, boolean header,
                          List<String> exclude) {
        public Options {
            if (labelColumn == null || labelColumn.isBlank()) {
                throw new IllegalArgumentException("CsvDataset: expected the name of the label column, received "
                        + (labelColumn == null ? "null" : "\"" + labelColumn + "\""));
            }
            if (task == null) {
                throw new IllegalArgumentException("CsvDataset: expected a task (CLASSIFICATION or REGRESSION), received null");
            }
            featureColumns = featureColumns == null ? List.of() : List.copyOf(featureColumns);
            exclude = exclude == null ? List.of() : List.copyOf(exclude);
            if (!featureColumns.isEmpty() && !exclude.isEmpty()) {
                throw new IllegalArgumentException("CsvDataset: expected a list of feature columns or a list of"
                        + " columns to exclude, received both (features " + featureColumns + ", exclude " + exclude
                        + ")");
            }
            if (featureColumns.contains(labelColumn) || exclude.contains(labelColumn)) {
                throw new IllegalArgumentException("CsvDataset: the label column '" + labelColumn + "' is listed as a "
                        + (exclude.contains(labelColumn) ? "column to exclude" : "feature") + "; expected it apart");
            }
            if (separator == '"' || separator == '\n' || separator == '\r') {
                throw new IllegalArgumentException("CsvDataset: expected a field separator such as ',', ';' or a tab,"
                        + " received " + (separator == '"' ? "the quote character" : "a line break"));
            }
        }

        /** A table with a header, comma-separated, classification by {@code labelColumn}. */
        public static Options classification(String labelColumn) {
            return new Options(labelColumn, Task.CLASSIFICATION, List.of(), ',', true, List.of());
        }

        /** A table with a header, comma-separated, regression on {@code labelColumn}. */
        public static Options regression(String labelColumn) {
            return new Options(labelColumn, Task.REGRESSION, List.of(), ',', true, List.of());
        }

        /** These feature columns, in this order (and none excluded). */
        public Options withFeatures(List<String> columns) {
            return new Options(labelColumn, task, columns, separator, header, List.of());
        }

        public Options withSeparator(char sep) {
            return new Options(labelColumn, task, featureColumns, sep, header, exclude);
        }

        /** With or without a header row. */
        public Options withHeader(boolean on) {
            return new Options(labelColumn, task, featureColumns, separator, on, exclude);
        }

        /** Every column but the label and {@code columns}. */
        public Options excluding(List<String> columns) {
            return new Options(labelColumn, task, List.of(), separator, header, columns);
        }
    }

    private CsvDataset(ArrayDataset data, List<String> featureNames, List<String> classNames) {
        this.data = data;
        this.featureNames = featureNames;
        this.classNames = classNames;
    }

    /** Reads a classification table whose label column is {@code labelColumn}. */
    public static CsvDataset read(Path file, String labelColumn) {
        return read(file, Options.classification(labelColumn));
    }

    /** Reads {@code file} (CSV, optionally gzip-compressed). */
    public static CsvDataset read(Path file, Options options) {
        try (CsvRows rows = CsvRows.open(file, options.separator(), options.header())) {
            return parse(rows, file, options);
        } catch (IOException e) {
            throw new DataException(file + ": read failed: " + e, e);
        }
    }

    private static CsvDataset parse(CsvRows rows, Path file, Options o) throws IOException {
        List<String> header = rows.names();
        Columns cols = Columns.of(header, o, file);
        FloatList x = new FloatList();
        List<String> rawLabels = new ArrayList<>();
        List<Integer> labelLines = new ArrayList<>();
        for (List<String> f = rows.next(); f != null; f = rows.next()) {
            int lineNo = rows.lineNumber();
            for (int j = 0; j < cols.features.length; j++) {
                x.add(number(f.get(cols.features[j]), file, lineNo, header, cols.features[j]));
            }
            rawLabels.add(f.get(cols.label));
            labelLines.add(lineNo);
        }
        if (rawLabels.isEmpty()) {
            throw new DataException(file + ": no data rows" + (o.header() ? " after the header" : "")
                    + "; expected at least one sample");
        }
        List<String> names = cols.names(header);
        int[] shape = {cols.features.length};
        if (o.task() == Task.REGRESSION) {
            float[] y = new float[rawLabels.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = number(rawLabels.get(i), file, labelLines.get(i), header, cols.label);
            }
            return new CsvDataset(new ArrayDataset(x.toArray(), shape, y, 0), names, List.of());
        }
        LabelMap map = LabelMap.of(rawLabels, labelLines, file, header.get(cols.label));
        return new CsvDataset(new ArrayDataset(x.toArray(), shape, map.indices, map.classNames.size()), names,
                map.classNames);
    }

    private static float number(String s, Path file, int lineNo, List<String> header, int col) {
        String where = file + ":" + lineNo + ": column '" + header.get(col) + "' (column " + (col + 1) + ")";
        if (s.isEmpty()) {
            throw new DataException(where + ": expected a number, found an empty value; missing values are not"
                    + " supported: impute or drop the row");
        }
        float v;
        try {
            v = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new DataException(where + ": expected a number, found \"" + s + "\"; exclude the column with a"
                    + " feature list if it is not numeric");
        }
        if (!Float.isFinite(v)) {
            throw new DataException(where + ": expected a finite number, found \"" + s + "\"");
        }
        return v;
    }

    /** The names of the feature columns, in the order of the features. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** The label text of each class index (empty for regression). */
    public List<String> classNames() {
        return classNames;
    }

    /** The table as an in-memory data set (for {@code subset}, {@code randomSplit}). */
    public ArrayDataset data() {
        return data;
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public int[] featureShape() {
        return data.featureShape();
    }

    @Override
    public int numClasses() {
        return data.numClasses();
    }

    @Override
    public void features(int index, float[] dst, int dstOff) {
        data.features(index, dst, dstOff);
    }

    @Override
    public float label(int index) {
        return data.label(index);
    }

    /** The positions of the label column and the feature columns in the header. */
    private record Columns(int label, int[] features) {
        static Columns of(List<String> header, Options o, Path file) {
            checkUnique(header, file);
            int label = index(header, o.labelColumn(), file, "label column", o.header());
            int[] features;
            if (o.featureColumns().isEmpty()) {
                java.util.Set<Integer> excluded = new java.util.HashSet<>();
                for (String e : o.exclude()) {
                    excluded.add(index(header, e, file, "column to exclude", o.header()));
                }
                features = new int[header.size() - 1 - excluded.size()];
                for (int j = 0, k = 0; j < header.size(); j++) {
                    if (j != label && !excluded.contains(j)) {
                        checkNamed(header, j, file);
                        features[k++] = j;
                    }
                }
            } else {
                features = new int[o.featureColumns().size()];
                for (int k = 0; k < features.length; k++) {
                    features[k] = index(header, o.featureColumns().get(k), file, "feature column", o.header());
                }
            }
            if (features.length == 0) {
                throw new DataException(file + ": no feature columns; expected at least one column besides the label '"
                        + o.labelColumn() + "'");
            }
            return new Columns(label, features);
        }

        List<String> names(List<String> header) {
            return Arrays.stream(features).mapToObj(header::get).toList();
        }

        private static int index(List<String> header, String name, Path file, String role, boolean hasHeader) {
            int i = header.indexOf(name);
            if (i < 0) {
                throw new DataException(file + ":1: " + role + " '" + name + "' not found in the header; the columns are "
                        + header + (hasHeader ? notAHeader(header)
                        : " (the file is read without a header, data.header: false: name a column by its 0-based"
                        + " position)"));
            }
            return i;
        }

        /**
         * Why line 1 may not be a header at all: one column holding another separator (a file
         * separated by ';' or tabs), or a field that is a number (a file without a header, or
         * scikit-learn's first line of row count, feature count and class names).
         */
        static String notAHeader(List<String> header) {
            if (header.size() == 1) {
                for (String sep : new String[] {";", "\t", "|"}) {
                    if (header.get(0).contains(sep)) {
                        String shown = sep.equals("\t") ? "tab" : "'" + sep + "'";
                        return ". Line 1 is one column holding " + shown + ": the file seems separated by " + shown
                                + "; say so with data.separator: " + (sep.equals("\t") ? "tab" : "\"" + sep + "\"")
                                + " (the default is a comma)";
                    }
                }
            }
            for (int j = 0; j < header.size(); j++) {
                if (isNumber(header.get(j))) {
                    return ". Line 1 is not a header: its field " + (j + 1) + " is the number '" + header.get(j)
                            + "'. For a file without a header, set data.header: false and give the label column by its"
                            + " 0-based position (label: 4); scikit-learn's first line (row count, feature count, class"
                            + " names) must be removed or replaced by a header line naming the columns";
                }
            }
            return "";
        }

        private static boolean isNumber(String field) {
            try {
                Double.parseDouble(field.strip());
                return !field.isBlank();
            } catch (NumberFormatException e) {
                return false;
            }
        }

        /** A feature column without a name is pandas' index column more often than data: refused, not learned from. */
        private static void checkNamed(List<String> header, int j, Path file) {
            if (header.get(j).isBlank()) {
                throw new DataException(file + ":1: column " + (j + 1) + " has no name in the header; expected a named"
                        + " feature column. pandas' to_csv writes its index so: save with to_csv(path, index=False),"
                        + " or name the column if it is a feature");
            }
        }

        private static void checkUnique(List<String> header, Path file) {
            for (int j = 0; j < header.size(); j++) {
                if (header.indexOf(header.get(j)) != j) {
                    throw new DataException(file + ":1: column name '" + header.get(j) + "' appears twice in the header;"
                            + " expected unique names");
                }
            }
        }
    }

    /** Class labels to indices: 0..K-1 integers as they are, otherwise sorted distinct values. */
    private record LabelMap(float[] indices, List<String> classNames) {
        static LabelMap of(List<String> raw, List<Integer> lines, Path file, String column) {
            for (int i = 0; i < raw.size(); i++) {
                if (raw.get(i).isEmpty()) {
                    throw new DataException(file + ":" + lines.get(i) + ": column '" + column
                            + "': expected a label, found an empty value");
                }
            }
            Map<String, Integer> index = new TreeMap<>();
            TreeSet<String> distinct = new TreeSet<>(raw);
            // Numeric order maps the integers 0..K-1 to themselves, and 1..K to 0..K-1.
            List<String> sorted = allNumbers(distinct) ? sortedNumerically(distinct) : new ArrayList<>(distinct);
            for (int k = 0; k < sorted.size(); k++) {
                index.put(sorted.get(k), k);
            }
            float[] y = new float[raw.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = index.get(raw.get(i));
            }
            return new LabelMap(y, List.copyOf(sorted));
        }

        private static boolean allNumbers(TreeSet<String> distinct) {
            for (String s : distinct) {
                try {
                    Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            return true;
        }

        private static List<String> sortedNumerically(TreeSet<String> distinct) {
            List<String> out = new ArrayList<>(distinct);
            out.sort((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
            return out;
        }
    }

    /** A growable float array. */
    private static final class FloatList {
        private float[] a = new float[1024];
        private int n;

        void add(float v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, Math.multiplyExact(a.length, 2));
            }
            a[n++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
