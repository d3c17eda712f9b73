package dev.myelin.model.bind;

/**
 * A configuration the command cannot run: the message names the file, the field, what was
 * expected, what was found, and what to do. A user error: the CLI prints it without a stack
 * trace and exits with code 2.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
