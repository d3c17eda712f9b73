package dev.myelin.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into fields (RFC 4180 quoting: a field in double quotes may contain the
 * separator, and {@code ""} inside it stands for one quote). A quoted field cannot span lines.
 */
public final class CsvParser {
    private CsvParser() {
    }

    /** The fields of {@code line}, each trimmed of surrounding spaces outside quotes. */
    public static List<String> fields(String line, char separator, Path file, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            field.setLength(0);
            i = skipSpaces(line, i);
            if (i < n && line.charAt(i) == '"') {
                i = quoted(line, i + 1, field, file, lineNo);
                i = skipSpaces(line, i);
                if (i < n && line.charAt(i) != separator) {
                    throw new DataException(file + ":" + lineNo + ": expected '" + separator + "' after the quoted field "
                            + (out.size() + 1) + ", found '" + line.charAt(i) + "'");
                }
            } else {
                int end = line.indexOf(separator, i);
                end = end < 0 ? n : end;
                field.append(line, i, end);
                i = end;
            }
            out.add(field.toString().strip());
            if (i >= n) {
                return out;
            }
            i++; // past the separator
        }
    }

    /** Reads a quoted field's body from {@code i} (after the opening quote); returns the index after the closing quote. */
    private static int quoted(String line, int i, StringBuilder field, Path file, int lineNo) {
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == '"') {
                if (i + 1 < n && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            field.append(c);
            i++;
        }
        throw new DataException(file + ":" + lineNo + ": unterminated quoted field (a '\"' is never closed);"
                + " quoted fields cannot span lines");
    }

    private static int skipSpaces(String line, int i) {
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
