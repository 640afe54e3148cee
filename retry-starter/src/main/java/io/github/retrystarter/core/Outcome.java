package io.github.retrystarter.core;

/** How a call through the {@link Retrier} ended. Each call has exactly one. */
public enum Outcome {

    /** The first attempt succeeded. */
    SUCCESS,

    /** An attempt after at least one retry succeeded. */
    RECOVERED,

    /**
     * Every allowed attempt failed with a retryable error, or the deadline left no time for
     * the next one.
     */
    EXHAUSTED,

    /**
     * The call ended before its attempts ran out: the error was not retryable, a retry
     * predicate threw, the thread was interrupted, or the {@link Retrier} was closed.
     */
    ABORTED,

    /**
     * The returned future was cancelled or completed by someone else, or an attempt was
     * cancelled.
     */
    CANCELLED,

    /** A retry was refused because the policy's {@link RetryBudget} was spent. */
    THROTTLED;

    /** The tag value used in metrics: the lower-case name. */
    public String tagValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
