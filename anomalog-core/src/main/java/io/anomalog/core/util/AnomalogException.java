package io.anomalog.core.util;

/**
 * A problem the user can fix (a missing file, an unknown format, a corrupt model): the command line prints
 * the message alone, without a stack trace, and exits with a non-zero code.
 */
public class AnomalogException extends RuntimeException {

    public AnomalogException(String message) {
        super(message);
    }

    public AnomalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
