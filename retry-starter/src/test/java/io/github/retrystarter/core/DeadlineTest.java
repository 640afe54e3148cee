package io.github.retrystarter.core;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.retrystarter.core.support.FreshFutures;
import io.github.retrystarter.core.support.ManualScheduler;
import io.github.retrystarter.core.support.RecordingExecutor;
import io.github.retrystarter.core.support.RecordingListener;
import io.github.retrystarter.core.support.RecordingListener.Ending;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Per-call deadlines on virtual time: the retrier's clock reads the {@link ManualScheduler}'s,
 * so a delay waited on the scheduler moves the clock the deadline is measured on.
 */
class DeadlineTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final RecordingExecutor executor = new RecordingExecutor();
    private final RecordingListener listener = new RecordingListener();
    private final FreshFutures<String> futures = new FreshFutures<>();
    private final Retrier retrier = retrier().build();

    @AfterEach
    void closeRetrier() {
        retrier.close();
    }

    private Retrier.Builder retrier() {
        return Retrier.builder().scheduler(scheduler).executor(executor).listener(listener)
                .random(() -> 0.5).clock(() -> TimeUnit.MILLISECONDS.toNanos(scheduler.now()));
    }

    /** Delays 100, 200, 400 ms without jitter; 10 attempts; deadline 250 ms. */
    private static RetryPolicy.Builder policy() {
        return RetryPolicy.builder("bounded").base(100).max(10_000).multiplier(2).jitter(false)
                .attempts(10).deadline(250);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        return future.handle((value, error) -> error).join();
    }

    private void runEverything() {
        while (scheduler.pendingTasks() > 0 || executor.queued() > 0) {
            scheduler.runAll();
            executor.runAll();
        }
    }

    @Test
    void noRetryIsScheduledThatWouldStartAfterTheDeadline() {
        IOException last = new IOException("2");
        AsyncFailing operation = new AsyncFailing(new IOException("1"), last);

        CompletableFuture<String> result = retrier.callAsync(policy().build(), operation);
        runEverything();

        // attempt 1 at 0 ms, retry at 100 ms; the next would start at 300 ms, after 250 ms
        assertThat(operation.calls).hasValue(2);
        assertThat(scheduler.delays()).containsExactly(100L);
        assertThat(failureOf(result)).isSameAs(last);
        assertThat(listener.delays()).containsExactly(100L, -1L);
        assertThat(listener.onlyEnding()).isEqualTo(new Ending("bounded", Outcome.EXHAUSTED, 2,
                last));
        assertThat(retrier.pendingRetries()).isZero();
    }

    @Test
    void aRetryStartingExactlyAtTheDeadlineIsAllowed() {
        AsyncFailing operation = new AsyncFailing(new IOException("1"), new IOException("2"),
                new IOException("3"));

        retrier.callAsync(policy().deadline(300).build(), operation);
        runEverything();

        assertThat(scheduler.delays()).containsExactly(100L, 200L);
        assertThat(operation.calls).hasValue(3);
    }

    @Test
    void timeSpentInAnAttemptCountsAgainstTheDeadline() {
        CompletableFuture<String> result = retrier.callAsync(policy().build(), futures);

        scheduler.advance(200);
        IOException slowFailure = new IOException("slow");
        futures.attempt(1).completeExceptionally(slowFailure);

        // 200 ms spent: a retry 100 ms later would start at 300 ms
        assertThat(failureOf(result)).isSameAs(slowFailure);
        assertThat(scheduler.delays()).isEmpty();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.EXHAUSTED);
    }

    @Test
    void theDeadlineRunsFromTheStartTheCallerTookBeforeItsFirstAttempt() {
        long start = retrier.startTime(policy().build());
        scheduler.advance(180);

        CompletableFuture<String> result = retrier.retryAsync(policy().build(), futures,
                CompletableFuture.failedFuture(new IOException("late first")), start);

        assertThat(result).isCompletedExceptionally();
        assertThat(scheduler.delays()).isEmpty();
    }

    @Test
    void attemptTimeoutsAndTheDeadlineTogetherBoundTheWholeCall() {
        RetryPolicy policy = policy().attemptTimeout(120).build();

        CompletableFuture<String> result = retrier.callAsync(policy, futures);
        runEverything();

        // timed out at 120 ms; a retry at 220 ms; timed out at 340 ms, past any next start
        assertThat(futures.calls()).isEqualTo(2);
        assertThat(failureOf(result)).isInstanceOf(AttemptTimeoutException.class)
                .hasMessageContaining("Attempt 2");
        assertThat(scheduler.now()).isEqualTo(340);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.EXHAUSTED);
        assertThat(scheduler.pendingTasks()).isZero();
    }

    @Test
    void withoutADeadlineTheClockIsNeverRead() {
        AtomicInteger reads = new AtomicInteger();
        Retrier counting = retrier().clock(() -> {
            reads.incrementAndGet();
            return 0;
        }).build();

        counting.callAsync(policy().deadline(0).attempts(3).build(),
                new AsyncFailing(new IOException()));
        runEverything();

        assertThat(reads).hasValue(0);
    }

    @Test
    void aSynchronousCallStopsRetryingAtTheDeadlineToo() {
        long[] now = {0};
        Retrier sync = Retrier.builder().scheduler(scheduler).executor(executor)
                .listener(listener).clock(() -> TimeUnit.MILLISECONDS.toNanos(now[0]))
                .sleeper(millis -> now[0] += millis).build();
        AtomicInteger calls = new AtomicInteger();
        IOException second = new IOException("2");

        Throwable thrown = catchThrowable(() -> sync.call(policy().build(), () -> {
            throw calls.incrementAndGet() == 1 ? new IOException("1") : second;
        }));

        assertThat(thrown).isSameAs(second);
        assertThat(calls).hasValue(2);
        assertThat(now[0]).isEqualTo(100);
        assertThat(listener.onlyEnding()).extracting(Ending::outcome, Ending::attempts)
                .containsExactly(Outcome.EXHAUSTED, 2);
    }

    @Test
    void aDeadlineDoesNotStopANonRetryableFailureBeingReportedAsAborted() {
        RetryPolicy policy = policy().abortOn(List.of(IllegalStateException.class)).build();
        IllegalStateException fatal = new IllegalStateException("fatal");

        CompletableFuture<String> result = retrier.callAsync(policy, new AsyncFailing(fatal));

        assertThat(failureOf(result)).isSameAs(fatal);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    /** Fails with each error in turn as a failed future, repeating the last. */
    private static final class AsyncFailing implements Supplier<CompletableFuture<String>> {

        final AtomicInteger calls = new AtomicInteger();
        private final Throwable[] errors;

        AsyncFailing(Throwable... errors) {
            this.errors = errors;
        }

        @Override
        public CompletableFuture<String> get() {
            int call = calls.getAndIncrement();
            return CompletableFuture.failedFuture(errors[Math.min(call, errors.length - 1)]);
        }
    }
}
