package io.github.retrystarter.sample.reference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.retrystarter.annotation.Retryable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The action of the reference program: it fails with a temporary error twice, then with a
 * permanent one.
 *
 * <p>Each attempt is a new call of {@link #call()}, which returns a new future; the attempt
 * counter shared by the attempts therefore lives in the bean, never in a future.
 */
@Component
@ConditionalOnProperty(name = "sample.reference.enabled", matchIfMissing = true)
public class ReferenceAction {

    private final AtomicInteger attempts = new AtomicInteger();

    /**
     * Makes one attempt, printing what happens.
     *
     * <p>Retried on {@link TemporaryException} only: starting at 50 ms, capped at 1 s, with
     * full jitter, at most 5 attempts. The {@link PermanentException} of the third attempt
     * therefore ends the call.
     *
     * @return a future that fails, with a temporary error on attempts 1 and 2 and with a
     *         permanent one after that
     */
    @Retryable(base = 50, max = 1000, jitter = true, attempts = 5,
            retryOn = TemporaryException.class)
    public CompletableFuture<String> call() {
        int attempt = attempts.incrementAndGet();
        System.out.println("Attempt #" + attempt);
        if (attempt < 3) {
            System.out.println(" -> temporary failure");
            return CompletableFuture.failedFuture(new TemporaryException("Temporary"));
        }
        System.out.println(" -> permanent failure (stop)");
        return CompletableFuture.failedFuture(new PermanentException("Permanent"));
    }

    /**
     * How many attempts have been made so far.
     *
     * @return the number of calls of {@link #call()}
     */
    public int attempts() {
        return attempts.get();
    }
}
