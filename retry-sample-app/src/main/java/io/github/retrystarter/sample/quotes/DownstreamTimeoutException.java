package io.github.retrystarter.sample.quotes;

/** Connecting to the downstream, or waiting for its answer, took too long; worth a retry. */
public class DownstreamTimeoutException extends DownstreamException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param id the id of the quote asked for
     * @param message what went wrong
     * @param cause the underlying timeout
     */
    public DownstreamTimeoutException(String id, String message, Throwable cause) {
        super(id, message, cause);
    }
}
