package io.github.retrystarter.sample.quotes;

/** The downstream answered 503 or could not be reached; worth a retry. */
public class DownstreamUnavailableException extends DownstreamException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param id the id of the quote asked for
     * @param message what went wrong
     * @param cause the underlying error, or {@code null}
     */
    public DownstreamUnavailableException(String id, String message, Throwable cause) {
        super(id, message, cause);
    }
}
