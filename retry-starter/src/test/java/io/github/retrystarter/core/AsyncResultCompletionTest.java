package io.github.retrystarter.core;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * However the caller completes the future an asynchronous call returned, while a retry waits
 * or an attempt is in flight, the retries stop, the attempt in flight is cancelled, and the
 * call is reported once, as cancelled.
 */
class AsyncResultCompletionTest {

    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final Retrier retrier = Retrier.builder().listener(new RetryListener() {
        @Override
        public void onOutcome(RetryPolicy policy, Outcome outcome, int attempts,
                Throwable error) {
            outcomes.add(outcome);
        }
    }).build();
    private final AtomicInteger attempts = new AtomicInteger();

    @AfterEach
    void close() {
        retrier.close();
    }

    @Test
    void cancellingWhileARetryWaitsStopsTheRetries() {
        assertStopsWaitingRetry(result -> result.cancel(true));
        assertThat(outcomes).containsExactly(Outcome.CANCELLED);
    }

    @Test
    void completingWhileARetryWaitsStopsTheRetries() {
        CompletableFuture<String> result = assertStopsWaitingRetry(
                future -> future.complete("from the caller"));
        assertThat(result.join()).isEqualTo("from the caller");
        assertThat(outcomes).containsExactly(Outcome.CANCELLED);
    }

    @Test
    void failingWhileARetryWaitsStopsTheRetries() {
        assertStopsWaitingRetry(future -> future.completeExceptionally(new IOException("x")));
        assertThat(outcomes).containsExactly(Outcome.CANCELLED);
    }

    @Test
    void aTimeoutOnTheFutureStopsTheRetries() {
        CompletableFuture<String> result = callFailingEvery(10_000);
        awaitPendingRetry();
        result.orTimeout(10, TimeUnit.MILLISECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> retrier.pendingRetries() == 0);
        assertThat(result).failsWithin(Duration.ZERO).withThrowableThat()
                .havingCause().isInstanceOf(TimeoutException.class);
        assertThat(outcomes).containsExactly(Outcome.CANCELLED);
    }

    @Test
    void completingAsynchronouslyStopsTheRetries() {
        CompletableFuture<String> result = callFailingEvery(10_000);
        awaitPendingRetry();
        result.completeAsync(() -> "async", Runnable::run);

        assertThat(result.join()).isEqualTo("async");
        assertThat(retrier.pendingRetries()).isZero();
        assertThat(outcomes).containsExactly(Outcome.CANCELLED);
    }

    @Test
    void obtrudingAValueStopsTheRetries() {
        assertStopsWaitingRetry(future -> future.obtrudeValue("forced"));
        assertThat(outcomes).containsExactly(Outcome.CANCELLED);
    }

    @Test
    void cancellingCancelsTheAttemptInFlight() {
        CompletableFuture<String> inFlight = new CompletableFuture<>();
        RetryPolicy policy = RetryPolicy.builder("in-flight").attempts(3).base(0).build();
        CompletableFuture<String> result = retrier.callAsync(policy, () ->
                attempts.incrementAndGet() == 1 ? CompletableFuture.failedFuture(
                        new IOException("first")) : inFlight);
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 2);

        result.cancel(true);

        assertThat(inFlight).isCancelled();
        assertThat(outcomes).containsExactly(Outcome.CANCELLED);
    }

    @Test
    void aStageMadeFromTheFutureDoesNotStopTheRetries() {
        RetryPolicy policy = RetryPolicy.builder("dependent").attempts(2).base(20).build();
        CompletableFuture<String> result = retrier.callAsync(policy, () ->
                attempts.incrementAndGet() == 1 ? CompletableFuture.failedFuture(
                        new IOException("first")) : CompletableFuture.completedFuture("ok"));
        CompletableFuture<String> dependent = result.thenApply(value -> value + "!");

        dependent.cancel(true);

        assertThat(result).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("ok");
        assertThat(dependent.getClass()).isEqualTo(CompletableFuture.class);
        assertThat(outcomes).containsExactly(Outcome.RECOVERED);
    }

    private CompletableFuture<String> assertStopsWaitingRetry(
            Consumer<CompletableFuture<String>> complete) {
        CompletableFuture<String> result = callFailingEvery(300);
        awaitPendingRetry();
        assertThat(attempts).as("still waiting for the first retry").hasValue(1);

        complete.accept(result);

        assertThat(result).isDone();
        assertThat(retrier.pendingRetries()).isZero();
        // the retry would have come 300 ms after the first attempt: it does not
        try {
            Thread.sleep(400);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        assertThat(attempts).hasValue(1);
        return result;
    }

    private void awaitPendingRetry() {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                .atMost(Duration.ofSeconds(5)).until(() -> retrier.pendingRetries() == 1);
    }

    private CompletableFuture<String> callFailingEvery(long delayMillis) {
        RetryPolicy policy = RetryPolicy.builder("stopped").attempts(5).base(delayMillis)
                .max(delayMillis).jitter(false).build();
        return retrier.callAsync(policy, () -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("always"));
        });
    }
}
