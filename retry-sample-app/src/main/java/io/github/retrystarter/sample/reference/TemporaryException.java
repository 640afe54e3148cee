package io.github.retrystarter.sample.reference;

/** A failure that may go away on its own, so it is worth another attempt. */
public class TemporaryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     */
    public TemporaryException(String message) {
        super(message);
    }
}
