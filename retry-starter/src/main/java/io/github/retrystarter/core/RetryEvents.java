package io.github.retrystarter.core;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the listeners and the log what a {@link Retrier} does. A listener that throws is
 * logged and its error kept on the execution, to be attached to the final error; it never
 * changes what the call does next.
 */
final class RetryEvents {

    private static final Logger log = LoggerFactory.getLogger(Retrier.class);

    private final RetryListener[] listeners;

    RetryEvents(List<RetryListener> listeners) {
        this.listeners = listeners.toArray(new RetryListener[0]);
    }

    /** A first attempt succeeded; the hot path, so nothing is done without listeners. */
    void succeeded(RetryPolicy policy) {
        for (RetryListener listener : listeners) {
            try {
                listener.onOutcome(policy, Outcome.SUCCESS, 1, null);
            }
            catch (Throwable error) {
                listenerFailed(listener, policy, error);
            }
        }
    }

    void failedAttempt(Execution execution, Throwable cause, long delayMillis) {
        RetryPolicy policy = execution.policy;
        if (delayMillis >= 0 && log.isDebugEnabled()) {
            log.debug("Retrying '{}': attempt {}/{} in {} ms after {}: {}", policy.name(),
                    execution.attempts + 1, policy.maxAttempts(), delayMillis,
                    cause.getClass().getName(), cause.getMessage());
        }
        for (RetryListener listener : listeners) {
            try {
                listener.onFailedAttempt(policy, execution.attempts, cause, delayMillis);
            }
            catch (Throwable error) {
                listenerFailed(listener, policy, error);
                execution.addHookError(error);
            }
        }
    }

    void outcome(Execution execution, Outcome outcome, Throwable error) {
        RetryPolicy policy = execution.policy;
        if (outcome != Outcome.SUCCESS && log.isDebugEnabled()) {
            Throwable cause = error == null ? null : Execution.unwrap(error);
            log.debug("Retry policy '{}' {} after {}/{} attempts{}", policy.name(),
                    outcome.tagValue(), execution.attempts, policy.maxAttempts(),
                    cause == null ? "" : ": " + cause.getClass().getName() + ": "
                            + cause.getMessage());
        }
        for (RetryListener listener : listeners) {
            try {
                listener.onOutcome(policy, outcome, execution.attempts, error);
            }
            catch (Throwable listenerError) {
                listenerFailed(listener, policy, listenerError);
                execution.addHookError(listenerError);
            }
        }
    }

    private static void listenerFailed(RetryListener listener, RetryPolicy policy,
            Throwable error) {
        log.warn("Retry listener {} failed for policy '{}'; the call goes on as if it had not"
                + " been called", listener.getClass().getName(), policy.name(), error);
    }
}
