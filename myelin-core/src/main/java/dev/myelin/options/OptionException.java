package dev.myelin.options;

/**
 * An option value that its {@code Options} record refuses: the option's key (as written in a
 * config, snake_case), what was expected and what was found. Callers that know where the value
 * came from (the command line's config reader) turn the key into a field path such as
 * {@code model[2].batchnorm1d.eps}; a Java caller reads the message.
 */
public final class OptionException extends IllegalArgumentException {
    private final String key;
    private final String expected;
    private final String found;

    /**
     * @param key      the option's snake_case name, e.g. {@code track_running_stats}
     * @param expected what a valid value is, e.g. {@code a number > 0}
     * @param found    the value received, as text
     */
    public OptionException(String key, String expected, String found) {
        this(null, key, expected, found);
    }

    /** @param owner what the option belongs to, for the message (e.g. {@code cosine schedule}), or null */
    public OptionException(String owner, String key, String expected, String found) {
        super((owner == null ? "" : owner + ": ") + key + ": expected " + expected + ", got " + found);
        this.key = key;
        this.expected = expected;
        this.found = found;
    }

    public String key() {
        return key;
    }

    public String expected() {
        return expected;
    }

    public String found() {
        return found;
    }
}
