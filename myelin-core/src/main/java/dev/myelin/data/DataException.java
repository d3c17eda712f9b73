package dev.myelin.data;

/**
 * Any problem with data: a missing or corrupt file, a malformed value, a data set that does
 * not fit what was asked of it. The message names the file (and the line, column or field
 * where there is one), what was expected, what was found, and what to do about it.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
