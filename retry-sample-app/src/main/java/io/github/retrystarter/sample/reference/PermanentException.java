package io.github.retrystarter.sample.reference;

/** A failure that another attempt would only repeat, so retrying stops at once. */
public class PermanentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     */
    public PermanentException(String message) {
        super(message);
    }
}
