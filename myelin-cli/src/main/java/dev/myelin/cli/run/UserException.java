package dev.myelin.cli.run;

/** A problem the user can fix (a run folder in the way, a bad option value): printed without a stack trace, exit code 2. */
public final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
        super(message);
    }
}
