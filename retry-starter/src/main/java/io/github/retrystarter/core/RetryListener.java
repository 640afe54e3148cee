package io.github.retrystarter.core;

/**
 * Hears what the {@link Retrier} does: each failed attempt and each call's final outcome.
 *
 * <p>Listeners run on the thread that observed the event (the caller's, or the thread that
 * completed an attempt's future), so they must be quick and must not block. A listener that
 * throws is logged and otherwise ignored: it never changes the outcome of a call and never
 * leaves a future pending; when the call fails, the listener's error is attached to the final
 * error as suppressed.
 */
public interface RetryListener {

    /**
     * An attempt failed.
     *
     * @param policy the policy of the call
     * @param attempt the number of the attempt that failed, 1 for the first call
     * @param error the error, with {@code CompletionException}/{@code ExecutionException}
     *        unwrapped
     * @param delayMillis the delay before the next attempt, or {@code -1} when no attempt
     *        follows (the call is about to end with this error)
     */
    default void onFailedAttempt(RetryPolicy policy, int attempt, Throwable error,
            long delayMillis) {
    }

    /**
     * A call ended; called exactly once per call, before the caller sees the result.
     *
     * @param policy the policy of the call
     * @param outcome how it ended
     * @param attempts how many times the method body was called
     * @param error the final error, or {@code null} for {@link Outcome#SUCCESS} and
     *        {@link Outcome#RECOVERED}
     */
    default void onOutcome(RetryPolicy policy, Outcome outcome, int attempts, Throwable error) {
    }
}
