package io.github.retrystarter.sample.quotes;

/**
 * The downstream answered with a status other than 200 and 503, or with a body that is not a
 * quote; another attempt would get the same, so it is not retried.
 */
public class DownstreamRejectedException extends DownstreamException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates the exception.
     *
     * @param id the id of the quote asked for
     * @param status the status the downstream answered with
     * @param message what went wrong
     * @param cause the underlying error, or {@code null}
     */
    public DownstreamRejectedException(String id, int status, String message,
            Throwable cause) {
        super(id, message, cause);
        this.status = status;
    }

    /**
     * The status the downstream answered with.
     *
     * @return an HTTP status code
     */
    public int status() {
        return status;
    }
}
