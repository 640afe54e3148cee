package io.github.retrystarter.core;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.retrystarter.core.support.FreshFutures;
import io.github.retrystarter.core.support.ManualScheduler;
import io.github.retrystarter.core.support.RecordingExecutor;
import io.github.retrystarter.core.support.RecordingListener;
import io.github.retrystarter.core.support.RecordingListener.Ending;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attempt timeouts of asynchronous calls on virtual time: an attempt whose future is not done
 * in time is cancelled and counts as a retryable {@link AttemptTimeoutException}.
 */
class AttemptTimeoutTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final RecordingExecutor executor = new RecordingExecutor();
    private final RecordingListener listener = new RecordingListener();
    private final FreshFutures<String> futures = new FreshFutures<>();
    private final Retrier retrier = Retrier.builder().scheduler(scheduler).executor(executor)
            .listener(listener).random(() -> 0.5).build();

    @AfterEach
    void closeRetrier() {
        retrier.close();
    }

    /** Base 50 ms without jitter, attempt timeout 100 ms. */
    private static RetryPolicy.Builder policy() {
        return RetryPolicy.builder("timed").base(50).max(1000).jitter(false).attempts(3)
                .attemptTimeout(100);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        return future.handle((value, error) -> error).join();
    }

    /** Fires every timer due within {@code millis} and runs the retries they hand over. */
    private void advance(long millis) {
        scheduler.advance(millis);
        executor.runAll();
    }

    @Test
    void anAttemptNotDoneInTimeIsCancelledAndRetried() {
        CompletableFuture<String> result = retrier.callAsync(policy().build(), futures);

        advance(99);
        assertThat(futures.attempt(1)).isNotDone();
        advance(1);

        assertThat(futures.attempt(1)).isCancelled();
        assertThat(listener.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.error()).isInstanceOf(AttemptTimeoutException.class)
                    .hasMessageContaining("Attempt 1").hasMessageContaining("'timed'")
                    .hasMessageContaining("100 ms");
            assertThat(failure.delayMillis()).isEqualTo(50);
        });
        advance(50);
        assertThat(futures.calls()).isEqualTo(2);
        futures.attempt(2).complete("in time");

        assertThat(result).isCompletedWithValue("in time");
        assertThat(scheduler.delays()).containsExactly(100L, 50L, 100L);
        assertThat(scheduler.pendingTasks()).isZero();
        assertThat(listener.onlyEnding()).isEqualTo(new Ending("timed", Outcome.RECOVERED, 2,
                null));
    }

    @Test
    void anAttemptDoneInTimeCancelsItsTimer() {
        CompletableFuture<String> result = retrier.callAsync(policy().build(), futures);

        advance(60);
        futures.attempt(1).complete("ok");

        assertThat(result).isCompletedWithValue("ok");
        assertThat(scheduler.pendingTasks()).isZero();
        assertThat(scheduler.cancelledTasks()).isEqualTo(1);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void anAttemptAlreadyDoneAsksForNoTimer() {
        CompletableFuture<String> result = retrier.callAsync(policy().build(),
                () -> CompletableFuture.completedFuture("at once"));

        assertThat(result).isCompletedWithValue("at once");
        assertThat(scheduler.delays()).isEmpty();
    }

    @Test
    void aTimeoutIsRetriedEvenWhenRetryOnDoesNotNameIt() {
        RetryPolicy policy = policy().retryOn(List.of(IOException.class)).build();
        CompletableFuture<String> result = retrier.callAsync(policy, futures);

        advance(100 + 50);
        futures.attempt(2).complete("second");

        assertThat(result).isCompletedWithValue("second");
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.RECOVERED);
    }

    @Test
    void aTimeoutIsRetriedWhateverTheRetryPredicateSays() {
        RetryPolicy policy = policy().retryIf(error -> false).build();
        CompletableFuture<String> result = retrier.callAsync(policy, futures);

        advance(100 + 50);

        assertThat(futures.calls()).isEqualTo(2);
        assertThat(result).isNotDone();
    }

    @Test
    void aTimeoutIsNotRetriedWhenAbortOnNamesIt() {
        for (Class<? extends Throwable> named : List.of(AttemptTimeoutException.class,
                TimeoutException.class)) {
            FreshFutures<String> attempts = new FreshFutures<>();
            RetryPolicy policy = policy().abortOn(List.of(named)).build();
            CompletableFuture<String> result = retrier.callAsync(policy, attempts);

            advance(100);

            assertThat(failureOf(result)).as("abortOn %s", named.getSimpleName())
                    .isInstanceOf(AttemptTimeoutException.class);
            assertThat(attempts.attempt(1)).isCancelled();
            assertThat(attempts.calls()).isEqualTo(1);
        }
        assertThat(listener.endings()).extracting(Ending::outcome)
                .containsExactly(Outcome.ABORTED, Outcome.ABORTED);
        assertThat(scheduler.pendingTasks()).isZero();
    }

    @Test
    void everyAttemptTimingOutEndsExhaustedWithTheLastTimeout() {
        CompletableFuture<String> result = retrier.callAsync(policy().build(), futures);

        scheduler.runAll();
        executor.runAll();
        scheduler.runAll();
        executor.runAll();
        scheduler.runAll();

        Throwable failure = failureOf(result);
        assertThat(failure).isInstanceOf(AttemptTimeoutException.class)
                .hasMessageContaining("Attempt 3");
        assertThat(failure.getSuppressed()).hasSize(2)
                .allMatch(AttemptTimeoutException.class::isInstance);
        assertThat(futures.handed()).hasSize(3).allMatch(CompletableFuture::isCancelled);
        // 100 ms each attempt, 50 and 100 ms between them
        assertThat(scheduler.now()).isEqualTo(100 + 50 + 100 + 100 + 100);
        assertThat(listener.onlyEnding()).extracting(Ending::outcome, Ending::attempts)
                .containsExactly(Outcome.EXHAUSTED, 3);
        assertThat(retrier.pendingRetries()).isZero();
    }

    @Test
    void aStageThatCannotBeCancelledIsLeftBehindAndItsLateResultIgnored() {
        CompletableFuture<String> late = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> result = retrier.callAsync(policy().build(),
                () -> calls.incrementAndGet() == 1 ? late.minimalCompletionStage()
                        : CompletableFuture.completedFuture("second"));
        AtomicInteger completions = new AtomicInteger();
        result.whenComplete((value, error) -> completions.incrementAndGet());

        advance(100);
        late.complete("too late");
        advance(50);

        assertThat(result).isCompletedWithValue("second");
        late.obtrudeValue("later still");
        assertThat(completions).hasValue(1);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.RECOVERED);
    }

    @Test
    void aRetryReturningAMinimalStageThatNeverCompletesStillTimesOut() {
        IOException first = new IOException("first");
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<String> result = retrier.callAsync(policy().attempts(2).build(),
                () -> calls.incrementAndGet() == 1 ? CompletableFuture.failedFuture(first)
                        : new CompletableFuture<String>().minimalCompletionStage());

        advance(50);
        assertThat(calls).hasValue(2);
        advance(100);

        assertThat(failureOf(result)).isInstanceOf(AttemptTimeoutException.class)
                .hasSuppressedException(first);
        assertThat(retrier.pendingRetries()).isZero();
        assertThat(scheduler.pendingTasks()).isZero();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.EXHAUSTED);
    }

    @Test
    void cancellingTheCallCancelsTheAttemptAndItsTimer() {
        CompletableFuture<String> result = retrier.callAsync(policy().build(), futures);

        result.cancel(true);

        assertThat(futures.attempt(1)).isCancelled();
        assertThat(scheduler.pendingTasks()).isZero();
        scheduler.runAll();
        assertThat(failureOf(result)).isInstanceOf(CancellationException.class);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void anAttemptInFlightWhenClosedStillTimesOutAndIsNotRetried() {
        CompletableFuture<String> result = retrier.callAsync(policy().build(), futures);
        retrier.close();
        assertThat(result).isNotDone();

        advance(100);

        assertThat(failureOf(result)).isInstanceOf(AttemptTimeoutException.class);
        assertThat(futures.attempt(1)).isCancelled();
        assertThat(futures.calls()).isEqualTo(1);
        assertThat(retrier.pendingRetries()).isZero();
        assertThat(scheduler.pendingTasks()).isZero();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void aSchedulerThatRefusesTheAttemptTimerNeverCompletesTheCallWithoutAValue() {
        scheduler.reject(true);

        CompletableFuture<String> result = retrier.callAsync(policy().build(), futures);

        assertThat(failureOf(result)).isInstanceOf(RejectedExecutionException.class);
        assertThat(futures.attempt(1)).isCancelled();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void aCallAfterCloseOnTheRetriersOwnTimerFailsWithTheRefusalNotANull() {
        Retrier closed = Retrier.builder().build();
        closed.close();

        CompletableFuture<String> result = closed.callAsync(policy().build(), futures);

        assertThat(failureOf(result)).isInstanceOf(RejectedExecutionException.class);
        assertThat(futures.attempt(1)).isCancelled();
    }

    @Test
    void aSchedulerThatRefusesARetrysAttemptTimerEndsWithTheLastFailure() {
        IOException first = new IOException("first");
        CompletableFuture<String> result = retrier.callAsync(policy().build(), futures);
        futures.attempt(1).completeExceptionally(first);
        scheduler.advance(50);
        scheduler.reject(true);
        executor.runAll();

        assertThat(failureOf(result)).isSameAs(first);
        assertThat(first.getSuppressed()).singleElement()
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(futures.attempt(2)).isCancelled();
        assertThat(listener.onlyEnding()).extracting(Ending::outcome, Ending::attempts)
                .containsExactly(Outcome.ABORTED, 2);
    }

    @Test
    void aSynchronousCallIgnoresTheAttemptTimeout() throws Throwable {
        Retrier sync = Retrier.builder().scheduler(scheduler).executor(executor)
                .sleeper(millis -> { }).build();

        String value = sync.call(policy().build(), () -> {
            scheduler.advance(1_000);
            return "slow but whole";
        });

        assertThat(value).isEqualTo("slow but whole");
        assertThat(scheduler.delays()).isEmpty();
    }
}
