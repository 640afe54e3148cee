package io.github.retrystarter.core;

import java.util.concurrent.TimeoutException;

/**
 * An attempt of an asynchronous call did not complete within the policy's attempt timeout; its
 * future was cancelled. It is retried whatever {@code retryOn} says, unless {@code abortOn}
 * names it (or {@link TimeoutException}).
 */
public class AttemptTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    public AttemptTimeoutException(String message) {
        super(message);
    }
}
