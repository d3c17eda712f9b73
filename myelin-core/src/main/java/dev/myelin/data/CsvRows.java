package dev.myelin.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a CSV file, one list of fields per non-blank line, each as wide as the header:
 * what {@link CsvDataset} and {@code myelin predict}'s CSV input read through. With a header the
 * first line names the columns; without one (scikit-learn's and many exported files) the
 * columns are named by their 0-based position, {@code "0"}, {@code "1"}, ..., as pandas names
 * them for {@code read_csv(path, header=None)}, and the first line is the first row.
 * Lines are read by {@link TextLines} (UTF-8, at most 16 MiB each, gzip detected).
 */
public final class CsvRows implements AutoCloseable {
    private final TextLines in;
    private final Path file;
    private final char separator;
    private final boolean header;
    private final List<String> names;
    private List<String> pending;
    private int lineNumber;

    private CsvRows(TextLines in, Path file, char separator, boolean header) throws IOException {
        this.in = in;
        this.file = file;
        this.separator = separator;
        this.header = header;
        String first = in.next();
        while (first != null && first.isBlank()) {
            first = in.next();
        }
        if (first == null) {
            throw new DataException(file + ": empty file; expected " + (header ? "a header row of column names, then"
                    + " one sample per line" : "one sample per line"));
        }
        List<String> fields = CsvParser.fields(first, separator, file, in.lineNumber());
        if (header) {
            names = List.copyOf(fields);
        } else {
            List<String> positions = new ArrayList<>();
            for (int j = 0; j < fields.size(); j++) {
                positions.add(Integer.toString(j));
            }
            names = List.copyOf(positions);
            pending = fields;
            lineNumber = in.lineNumber();
        }
    }

    /** Opens {@code file} (CSV, optionally gzip-compressed) and reads its header, or its first row. */
    public static CsvRows open(Path file, char separator, boolean header) throws IOException {
        TextLines in = new TextLines(DataFiles.open(file), file);
        try {
            return new CsvRows(in, file, separator, header);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The column names: the header's, or {@code "0"}, {@code "1"}, ... for a file without one. */
    public List<String> names() {
        return names;
    }

    /** True when the file's first line names the columns. */
    public boolean hasHeader() {
        return header;
    }

    /**
     * The next row's fields, or null at the end of the file; blank lines are skipped.
     *
     * @throws DataException when the row is not as wide as the header (or the first row), with
     *                       the line and a hint at the separator and quoting
     */
    public List<String> next() throws IOException {
        if (pending != null) {
            List<String> row = pending;
            pending = null;
            return row;
        }
        for (String line = in.next(); line != null; line = in.next()) {
            if (!line.isBlank()) {
                lineNumber = in.lineNumber();
                List<String> f = CsvParser.fields(line, separator, file, lineNumber);
                if (f.size() != names.size()) {
                    throw new DataException(file + ":" + lineNumber + ": expected " + names.size() + " fields as in "
                            + (header ? "the header" : "the first row") + ", found "
                            + f.size() + "; check the separator '" + printable(separator) + "' and quoting");
                }
                return f;
            }
        }
        return null;
    }

    /** The line number of the row {@link #next} returned last (1-based). */
    public int lineNumber() {
        return lineNumber;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** A separator as a reader sees it: {@code \t} for a tab. */
    public static String printable(char separator) {
        return separator == '\t' ? "\\t" : String.valueOf(separator);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
