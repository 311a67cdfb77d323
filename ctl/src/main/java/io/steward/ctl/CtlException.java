package io.steward.ctl;

/**
 * An outcome that ends the command with a message on stderr and an exit code: {@link #REFUSED}
 * when the decider (or a check made before asking it) says no, {@link #USAGE} for a wrong
 * command line or configuration file, {@link #NO_DECIDER} when no decider answered.
 */
final class CtlException extends RuntimeException {

    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int NO_DECIDER = 3;

    private final int exitCode;

    CtlException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static CtlException refused(String message) {
        return new CtlException(REFUSED, message);
    }

    static CtlException usage(String message) {
        return new CtlException(USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
