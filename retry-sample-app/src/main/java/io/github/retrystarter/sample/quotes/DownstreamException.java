package io.github.retrystarter.sample.quotes;

/**
 * A failed call of the quote downstream; the subtype tells whether it is worth a retry.
 *
 * <p>Which subtypes are retried is configured, not coded: see
 * {@code retry.instances.quotes.retry-on} in {@code application.yml}.
 */
public abstract class DownstreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String id;

    /**
     * Creates the exception.
     *
     * @param id the id of the quote asked for
     * @param message what went wrong
     * @param cause the underlying error, or {@code null}
     */
    protected DownstreamException(String id, String message, Throwable cause) {
        super(message, cause);
        this.id = id;
    }

    /**
     * The id of the quote that was asked for.
     *
     * @return the id
     */
    public String id() {
        return id;
    }
}
