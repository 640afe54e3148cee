package io.github.retrystarter.sample.reference;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Runs the reference program once the application has started, and prints how it ended.
 *
 * <p>Switched off with {@code sample.reference.enabled=false}. The wait for the result is
 * bounded by {@code sample.reference.timeout} (10 s by default).
 */
@Component
@ConditionalOnProperty(name = "sample.reference.enabled", matchIfMissing = true)
public class ReferenceRunner implements ApplicationRunner {

    private final ReferenceAction action;
    private final Duration timeout;

    /**
     * Creates the runner.
     *
     * @param action the retried action
     * @param timeout how long to wait for the action's final outcome
     */
    public ReferenceRunner(ReferenceAction action,
            @Value("${sample.reference.timeout:10s}") Duration timeout) {
        this.action = action;
        this.timeout = timeout;
    }

    @Override
    public void run(ApplicationArguments args) {
        CompletableFuture<String> result = action.call();
        String outcome;
        try {
            outcome = "Final result: " + result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException failed) {
            outcome = "Final failure: " + unwrap(failed.getCause()).getMessage();
        }
        catch (TimeoutException late) {
            result.cancel(true);
            outcome = "No final outcome within " + timeout.toMillis() + " ms";
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            result.cancel(true);
            outcome = "Interrupted while waiting for the final outcome";
        }
        System.out.println();
        System.out.println(outcome);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
