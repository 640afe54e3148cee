package io.github.retrystarter.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The state of one call that has failed at least once: the attempt count, the errors seen and
 * the errors of hooks. Created only on the failure path; the success path allocates none.
 */
class Execution {

    final Retrier retrier;
    final RetryPolicy policy;
    /** When the call began, on the retrier's clock; read only when the policy has a deadline. */
    final long startNanos;
    int attempts = 1;
    Outcome stopOutcome;
    private Throwable last;
    private List<Throwable> earlier;
    private List<Throwable> hookErrors;

    Execution(Retrier retrier, RetryPolicy policy, long startNanos) {
        this.retrier = retrier;
        this.policy = policy;
        this.startNanos = startNanos;
    }

    /**
     * Records a failed attempt and decides what follows.
     *
     * @param surfaced the error as the caller would see it if this were the last attempt
     * @return the delay before the next attempt in milliseconds, or {@code -1} to stop, with
     *         {@link #stopOutcome} set
     */
    final long onFailure(Throwable surfaced) {
        record(surfaced);
        Throwable cause = unwrap(surfaced);
        long delay = decide(cause);
        retrier.events.failedAttempt(this, cause, delay);
        return delay;
    }

    /** Makes {@code surfaced} the last error, keeping the one before it as an earlier one. */
    final void record(Throwable surfaced) {
        if (last != null && last != surfaced) {
            if (earlier == null) {
                earlier = new ArrayList<>(4);
            }
            earlier.add(last);
        }
        last = surfaced;
    }

    private long decide(Throwable cause) {
        if (cause instanceof InterruptedException) {
            // the JDK cleared the flag when it threw: retrying would swallow the interrupt
            stopOutcome = Outcome.ABORTED;
            return -1;
        }
        boolean retryable;
        try {
            retryable = policy.isRetryable(cause);
        }
        catch (Throwable predicateError) {
            addHookError(predicateError);
            stopOutcome = Outcome.ABORTED;
            return -1;
        }
        if (!retryable) {
            stopOutcome = Outcome.ABORTED;
            return -1;
        }
        if (attempts >= policy.maxAttempts()) {
            stopOutcome = Outcome.EXHAUSTED;
            return -1;
        }
        long delay;
        try {
            delay = policy.backoff().delayMillis(attempts, retrier.nextRandom());
        }
        catch (Throwable drawFailed) {
            // thrown out of a future's callback it would be lost, leaving the call pending
            addHookError(drawFailed);
            stopOutcome = Outcome.ABORTED;
            return -1;
        }
        if (policy.deadlineMillis() > 0 && pastDeadline(delay)) {
            stopOutcome = Outcome.EXHAUSTED;
            return -1;
        }
        RetryBudget budget = policy.budget();
        if (budget != null && !budget.tryAcquireRetry()) {
            stopOutcome = Outcome.THROTTLED;
            return -1;
        }
        return delay;
    }

    /** Whether a retry after {@code delayMillis} would start after the deadline. */
    private boolean pastDeadline(long delayMillis) {
        long elapsedMillis = (retrier.nanoTime() - startNanos) / 1_000_000;
        return elapsedMillis > policy.deadlineMillis() - delayMillis;
    }

    final void addHookError(Throwable error) {
        if (hookErrors == null) {
            hookErrors = new ArrayList<>(2);
        }
        hookErrors.add(error);
    }

    /** The last error seen, as it was thrown, or {@code null} if none yet. */
    final Throwable lastError() {
        return last;
    }

    /**
     * The error the call ends with: the last one, with the earlier ones and the hooks' errors
     * attached as suppressed (each once, never the error itself). Safe to call again after
     * more hook errors were added.
     */
    final Throwable finalError() {
        if (last != null) {
            attach(earlier);
            attach(hookErrors);
        }
        return last;
    }

    private void attach(List<Throwable> errors) {
        if (errors == null) {
            return;
        }
        for (Throwable error : errors) {
            if (error != last && !List.of(last.getSuppressed()).contains(error)) {
                last.addSuppressed(error);
            }
        }
    }

    /** Strips {@code CompletionException}/{@code ExecutionException} wrappers. */
    static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
