package io.github.retrystarter.core;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import io.github.retrystarter.core.RetrierSyncTest.ThrowingListener;
import io.github.retrystarter.core.support.FreshFutures;
import io.github.retrystarter.core.support.ManualScheduler;
import io.github.retrystarter.core.support.RecordingExecutor;
import io.github.retrystarter.core.support.RecordingListener;
import io.github.retrystarter.core.support.RecordingListener.Ending;
import io.github.retrystarter.core.support.RecordingListener.Failure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The asynchronous loop on virtual time: a {@link ManualScheduler} for the delays and a
 * {@link RecordingExecutor} that runs retries only when the test says so.
 */
class RetrierAsyncTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final RecordingExecutor executor = new RecordingExecutor();
    private final RecordingListener listener = new RecordingListener();
    private final FreshFutures<String> futures = new FreshFutures<>();
    private Retrier retrier = retrier().build();

    @AfterEach
    void closeRetrier() {
        retrier.close();
    }

    private Retrier.Builder retrier() {
        return Retrier.builder().scheduler(scheduler).executor(executor).listener(listener)
                .random(() -> 0.5);
    }

    private static RetryPolicy policy() {
        return policy(5);
    }

    private static RetryPolicy policy(int attempts) {
        return RetryPolicy.builder("async").base(50).max(1000).attempts(attempts).build();
    }

    private static DoubleSupplier draws(double... values) {
        AtomicInteger next = new AtomicInteger();
        return () -> values[next.getAndIncrement()];
    }

    /** Counts how often {@code future} completes, through a dependent stage. */
    private static AtomicInteger completions(CompletableFuture<?> future) {
        AtomicInteger count = new AtomicInteger();
        future.whenComplete((value, error) -> count.incrementAndGet());
        return count;
    }

    /** The error {@code future} failed with, exactly as it was given to it. */
    private static Throwable failureOf(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        return future.handle((value, error) -> error).join();
    }

    /** Lets every timer fire and every retry run, until nothing is left to do. */
    private void runEverything() {
        while (scheduler.pendingTasks() > 0 || executor.queued() > 0) {
            scheduler.runAll();
            executor.runAll();
        }
    }

    // ---- success and recovery ----------------------------------------------------------

    @Test
    void firstAttemptSucceeding() {
        CompletableFuture<String> result = retrier.callAsync(policy(), new Scripted("ok"));

        assertThat(result).isCompletedWithValue("ok");
        assertThat(scheduler.delays()).isEmpty();
        assertThat(executor.submitted()).isZero();
        assertThat(listener.failures()).isEmpty();
        assertThat(listener.onlyEnding())
                .isEqualTo(new Ending("async", Outcome.SUCCESS, 1, null));
    }

    @Test
    void anAttemptStillRunningIsFollowedUntilItSucceeds() {
        CompletableFuture<String> result = retrier.callAsync(policy(), futures);

        assertThat(result).isNotDone();
        futures.attempt(1).complete("late");

        assertThat(result).isCompletedWithValue("late");
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void everyRetryCallsTheSupplierAgainForAFreshFuture() {
        CompletableFuture<String> result = retrier.callAsync(policy(), futures);

        futures.attempt(1).completeExceptionally(new IOException("1"));
        runEverything();
        futures.attempt(2).completeExceptionally(new IOException("2"));
        runEverything();
        futures.attempt(3).complete("third time");

        assertThat(result).isCompletedWithValue("third time");
        assertThat(futures.handed()).hasSize(3).doesNotHaveDuplicates();
        assertThat(listener.onlyEnding())
                .isEqualTo(new Ending("async", Outcome.RECOVERED, 3, null));
    }

    @Test
    void asksTheSchedulerForTheJitteredDelaysDrawn() {
        retrier = retrier().random(draws(0.5, 0.9, 0.0)).build();
        Scripted operation = new Scripted(new IOException("1"), new IOException("2"),
                new IOException("3"), "ok");

        CompletableFuture<String> result = retrier.callAsync(policy(4), operation);
        runEverything();

        assertThat(result).isCompletedWithValue("ok");
        // d(k) = 50, 100, 200: 0.5 of [0, 50], 0.9 of [0, 100], 0.0 of [0, 200]
        assertThat(scheduler.delays()).containsExactly(25L, 90L, 0L);
        assertThat(listener.delays()).containsExactly(25L, 90L, 0L);
    }

    @Test
    void theTimerOnlyHandsTheRetryToTheExecutor() {
        CompletableFuture<String> result = retrier.callAsync(policy(), futures);
        futures.attempt(1).completeExceptionally(new IOException());

        assertThat(scheduler.delays()).containsExactly(25L);
        assertThat(retrier.pendingRetries()).isEqualTo(1);
        scheduler.advance(24);
        assertThat(executor.submitted()).isZero();
        scheduler.advance(1);
        assertThat(futures.calls()).isEqualTo(1);
        assertThat(executor.queued()).isEqualTo(1);
        assertThat(retrier.pendingRetries()).isEqualTo(1);

        executor.runAll();

        assertThat(futures.calls()).isEqualTo(2);
        assertThat(retrier.pendingRetries()).isZero();
        assertThat(result).isNotDone();
    }

    @Test
    void retryAsyncCountsTheFirstAttemptTheCallerMadeItself() {
        CompletableFuture<String> first = CompletableFuture.failedFuture(new IOException());

        CompletableFuture<String> result = retrier.retryAsync(policy(3), futures, first);
        runEverything();
        futures.attempt(1).completeExceptionally(new IOException());
        runEverything();
        futures.attempt(2).complete("ok");

        assertThat(result).isCompletedWithValue("ok");
        assertThat(listener.onlyEnding())
                .isEqualTo(new Ending("async", Outcome.RECOVERED, 3, null));
    }

    // ---- final failures ----------------------------------------------------------------

    @Test
    void exhaustedEndsWithTheLastFailureUnwrappedAndTheEarlierOnesSuppressed() {
        IllegalStateException first = new IllegalStateException("1");
        IllegalStateException second = new IllegalStateException("2");
        IllegalStateException last = new IllegalStateException("3");
        // a stage that fails inside thenApply holds its error wrapped in a CompletionException
        CompletableFuture<String> failsInside = CompletableFuture.completedFuture("x")
                .thenApply(value -> {
                    throw last;
                });
        Scripted operation = new Scripted(new ExecutionException(first),
                new CompletionException(second), failsInside);

        CompletableFuture<String> result = retrier.callAsync(policy(3), operation);
        AtomicInteger completions = completions(result);
        runEverything();

        Throwable failure = failureOf(result);
        assertThat(failure).isSameAs(last);
        assertThat(failure.getSuppressed()).containsExactly(first, second);
        assertThat(completions).hasValue(1);
        assertThat(operation.calls).hasValue(3);
        assertThat(listener.failures()).containsExactly(new Failure("async", 1, first, 25),
                new Failure("async", 2, second, 50), new Failure("async", 3, last, -1));
        assertThat(listener.onlyEnding())
                .isEqualTo(new Ending("async", Outcome.EXHAUSTED, 3, last));
        assertThat(retrier.pendingRetries()).isZero();
    }

    @Test
    void theSameFailureEachTimeIsNeverSuppressedOnItself() {
        IllegalStateException same = new IllegalStateException("again");

        CompletableFuture<String> result = retrier.callAsync(policy(3),
                () -> CompletableFuture.failedFuture(same));
        runEverything();

        assertThat(failureOf(result)).isSameAs(same);
        assertThat(same.getSuppressed()).isEmpty();
    }

    @Test
    void aNonRetryableFailureEndsTheCallAtOnce() {
        IllegalArgumentException bad = new IllegalArgumentException("bad");
        RetryPolicy policy = RetryPolicy.builder("async").retryOn(List.of(IOException.class))
                .build();

        CompletableFuture<String> result = retrier.callAsync(policy, futures);
        futures.attempt(1).completeExceptionally(new CompletionException(bad));

        assertThat(failureOf(result)).isSameAs(bad);
        assertThat(scheduler.delays()).isEmpty();
        assertThat(listener.onlyEnding()).isEqualTo(new Ending("async", Outcome.ABORTED, 1, bad));
    }

    @Test
    void aSupplierThatThrowsIsTreatedLikeAFailedFuture() {
        AtomicInteger calls = new AtomicInteger();
        Supplier<CompletionStage<String>> operation = () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("thrown, not returned");
            }
            return CompletableFuture.completedFuture("ok");
        };

        CompletableFuture<String> result = retrier.callAsync(policy(), operation);
        runEverything();

        assertThat(result).isCompletedWithValue("ok");
        assertThat(calls).hasValue(3);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.RECOVERED);
    }

    @Test
    void aSupplierThatAlwaysThrowsEndsWithWhatItThrewLast() {
        IllegalStateException first = new IllegalStateException("1");
        IllegalStateException last = new IllegalStateException("2");
        AtomicInteger calls = new AtomicInteger();
        Supplier<CompletionStage<String>> operation = () -> {
            throw calls.incrementAndGet() == 1 ? first : last;
        };

        CompletableFuture<String> result = retrier.callAsync(policy(2), operation);
        runEverything();

        assertThat(failureOf(result)).isSameAs(last);
        assertThat(last.getSuppressed()).containsExactly(first);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.EXHAUSTED);
    }

    @Test
    void anErrorIsNotRetriedWhetherThrownOrReturned() {
        AssertionError thrown = new AssertionError("thrown");
        StackOverflowError returned = new StackOverflowError("returned");
        AtomicInteger calls = new AtomicInteger();

        CompletableFuture<String> first = retrier.callAsync(policy(), () -> {
            calls.incrementAndGet();
            throw thrown;
        });
        CompletableFuture<String> second = retrier.callAsync(policy(), () -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(returned);
        });
        runEverything();

        assertThat(failureOf(first)).isSameAs(thrown);
        assertThat(failureOf(second)).isSameAs(returned);
        assertThat(calls).hasValue(2);
        assertThat(scheduler.delays()).isEmpty();
        assertThat(listener.endings()).extracting(Ending::outcome)
                .containsExactly(Outcome.ABORTED, Outcome.ABORTED);
    }

    @Test
    void anAttemptFailedByAnInterruptIsNotRetried() {
        InterruptedException interrupted = new InterruptedException("worker interrupted");

        CompletableFuture<String> result = retrier.callAsync(policy(),
                new Scripted(new CompletionException(interrupted), "never reached"));
        runEverything();

        assertThat(failureOf(result)).isSameAs(interrupted);
        assertThat(scheduler.delays()).isEmpty();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    // ---- null instead of a future ------------------------------------------------------

    @Test
    void aNullFirstStageFailsClearlyAndIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();

        CompletableFuture<String> result = retrier.callAsync(policy(), () -> {
            calls.incrementAndGet();
            return null;
        });
        runEverything();

        assertThat(failureOf(result)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'async'").hasMessageContaining("attempt 1")
                .hasMessageContaining("returned null");
        assertThat(calls).hasValue(1);
        assertThat(scheduler.delays()).isEmpty();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void aNullRetryStageFailsClearlyWithTheEarlierFailureAttached() {
        IOException first = new IOException("temporary");
        Scripted operation = new Scripted(first, null, "never reached");

        CompletableFuture<String> result = retrier.callAsync(policy(), operation);
        runEverything();

        Throwable failure = failureOf(result);
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'async'").hasMessageContaining("attempt 2");
        assertThat(failure.getSuppressed()).containsExactly(first);
        assertThat(operation.calls).hasValue(2);
        assertThat(scheduler.delays()).hasSize(1);
        assertThat(retrier.pendingRetries()).isZero();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void aNullFirstStageGivenToRetryAsyncFailsClearly() {
        CompletableFuture<String> result = retrier.retryAsync(policy(), futures, null);

        assertThat(failureOf(result)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'async'");
        assertThat(futures.calls()).isZero();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    // ---- cancellation ------------------------------------------------------------------

    @Test
    void cancellingStopsTheRetriesAndCancelsThePendingTimer() {
        CompletableFuture<String> result = retrier.callAsync(policy(), futures);
        futures.attempt(1).completeExceptionally(new IOException());
        assertThat(scheduler.pendingTasks()).isEqualTo(1);

        assertThat(result.cancel(true)).isTrue();

        assertThat(scheduler.pendingTasks()).isZero();
        assertThat(scheduler.cancelledTasks()).isEqualTo(1);
        assertThat(retrier.pendingRetries()).isZero();
        runEverything();
        assertThat(futures.calls()).isEqualTo(1);
        assertThat(listener.onlyEnding())
                .isEqualTo(new Ending("async", Outcome.CANCELLED, 1, null));
    }

    @Test
    void cancellingCancelsTheAttemptInFlight() {
        CompletableFuture<String> result = retrier.callAsync(policy(), futures);
        futures.attempt(1).completeExceptionally(new IOException());
        runEverything();

        result.cancel(true);

        assertThat(futures.attempt(2)).isCancelled();
        runEverything();
        assertThat(futures.calls()).isEqualTo(2);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void cancellingTheFirstAttemptInFlight() {
        CompletableFuture<String> result = retrier.callAsync(policy(), futures);

        result.cancel(true);

        assertThat(futures.attempt(1)).isCancelled();
        assertThat(scheduler.delays()).isEmpty();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void cancellingAfterTheTimerFiredDropsTheQueuedRetry() {
        CompletableFuture<String> result = retrier.callAsync(policy(), futures);
        futures.attempt(1).completeExceptionally(new IOException());
        scheduler.runAll();
        assertThat(executor.queued()).isEqualTo(1);

        result.cancel(true);
        executor.runAll();

        assertThat(futures.calls()).isEqualTo(1);
        assertThat(retrier.pendingRetries()).isZero();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void completingTheResultFromOutsideStopsTheRetriesToo() {
        CompletableFuture<String> result = retrier.callAsync(policy(), futures);
        futures.attempt(1).completeExceptionally(new IOException());

        result.complete("from outside");
        runEverything();

        assertThat(result).isCompletedWithValue("from outside");
        assertThat(futures.calls()).isEqualTo(1);
        assertThat(scheduler.cancelledTasks()).isEqualTo(1);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void cancellingWorksWhenTheOperationReturnsMinimalStages() {
        CompletableFuture<String> inFlight = new CompletableFuture<>();
        Scripted operation = new Scripted(
                CompletableFuture.failedFuture(new IOException()).minimalCompletionStage(),
                inFlight.minimalCompletionStage());
        CompletableFuture<String> result = retrier.callAsync(policy(), operation);
        runEverything();

        // a minimal stage cannot be cancelled from outside; the call must end all the same
        assertThat(result.cancel(true)).isTrue();
        runEverything();

        assertThat(operation.calls).hasValue(2);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void anAttemptCancelledBySomeoneElseEndsTheCallAsCancelled() {
        CompletableFuture<String> result = retrier.callAsync(policy(), futures);
        AtomicInteger completions = completions(result);

        futures.attempt(1).cancel(true);
        runEverything();

        assertThat(result).isCancelled();
        assertThat(failureOf(result)).isInstanceOf(CancellationException.class);
        assertThat(futures.calls()).isEqualTo(1);
        assertThat(scheduler.delays()).isEmpty();
        assertThat(completions).hasValue(1);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void aCancelledRetryEndsTheCallWithTheEarlierFailureAttached() {
        IOException first = new IOException("1");
        CompletableFuture<String> result = retrier.callAsync(policy(), futures);
        futures.attempt(1).completeExceptionally(first);
        runEverything();

        futures.attempt(2).cancel(true);

        assertThat(failureOf(result)).isInstanceOf(CancellationException.class)
                .hasSuppressedException(first);
        assertThat(listener.onlyEnding()).extracting(Ending::outcome, Ending::attempts)
                .containsExactly(Outcome.CANCELLED, 2);
    }

    @Test
    void aCancelWhileTheNextDelayIsChosenLeavesNoPendingRetryBehind() {
        // the draw runs after the attempt failed and before the retry is registered as
        // pending: the window in which another thread's cancel races with the loop
        AtomicReference<CompletableFuture<String>> call = new AtomicReference<>();
        retrier = retrier().random(() -> {
            call.get().cancel(true);
            return 0.5;
        }).build();
        call.set(retrier.callAsync(policy(), futures));

        futures.attempt(1).completeExceptionally(new IOException());

        assertThat(call.get()).isCancelled();
        assertThat(retrier.pendingRetries()).isZero();
        assertThat(scheduler.pendingTasks()).isZero();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void aCancelLandingWhileTheOutcomeIsReportedWinsTheFutureButTheOutcomeStays() {
        // the caller's cancel comes after the call reached its outcome, before the future
        // was completed with it: the future is the caller's, the outcome was told once
        AtomicReference<CompletableFuture<String>> call = new AtomicReference<>();
        retrier = retrier().listener(new RetryListener() {
            @Override
            public void onOutcome(RetryPolicy policy, Outcome outcome, int attempts,
                    Throwable error) {
                call.get().cancel(true);
            }
        }).build();
        call.set(retrier.callAsync(policy(), futures));
        futures.attempt(1).completeExceptionally(new IOException());
        runEverything();

        futures.attempt(2).complete("too late for the caller");

        assertThat(call.get()).isCancelled();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.RECOVERED);
        assertThat(retrier.pendingRetries()).isZero();
    }

    // ---- close -------------------------------------------------------------------------

    @Test
    void closeEndsEveryPendingRetryAtOnceWithItsLastFailure() {
        IOException waitingForThread = new IOException("thread");
        IOException waitingForTimer = new IOException("timer");
        Scripted queuedOperation = new Scripted(waitingForThread);
        Scripted timedOperation = new Scripted(waitingForTimer);
        CompletableFuture<String> queued = retrier.callAsync(policy(), queuedOperation);
        scheduler.runAll();
        CompletableFuture<String> timed = retrier.callAsync(policy(), timedOperation);
        assertThat(executor.queued()).isEqualTo(1);
        assertThat(scheduler.pendingTasks()).isEqualTo(1);
        assertThat(retrier.pendingRetries()).isEqualTo(2);

        retrier.close();

        assertThat(failureOf(queued)).isSameAs(waitingForThread);
        assertThat(failureOf(timed)).isSameAs(waitingForTimer);
        assertThat(retrier.pendingRetries()).isZero();
        assertThat(scheduler.pendingTasks()).isZero();
        runEverything();
        assertThat(queuedOperation.calls).hasValue(1);
        assertThat(timedOperation.calls).hasValue(1);
        assertThat(listener.endings()).extracting(Ending::outcome)
                .containsExactly(Outcome.ABORTED, Outcome.ABORTED);
    }

    @Test
    void anAttemptRunningWhenClosedEndsWithItsOwnFailureAndIsNotRetried() {
        IOException first = new IOException("1");
        IOException second = new IOException("2");
        CompletableFuture<String> result = retrier.callAsync(policy(), futures);
        futures.attempt(1).completeExceptionally(first);
        runEverything();
        retrier.close();
        assertThat(result).isNotDone();

        futures.attempt(2).completeExceptionally(second);

        assertThat(failureOf(result)).isSameAs(second);
        assertThat(second.getSuppressed()).containsExactly(first);
        assertThat(scheduler.delays()).hasSize(1);
        runEverything();
        assertThat(futures.calls()).isEqualTo(2);
        assertThat(retrier.pendingRetries()).isZero();
        assertThat(listener.onlyEnding()).extracting(Ending::outcome, Ending::attempts)
                .containsExactly(Outcome.ABORTED, 2);
    }

    @Test
    void anAttemptRunningWhenClosedMayStillSucceed() {
        CompletableFuture<String> result = retrier.callAsync(policy(), futures);
        futures.attempt(1).completeExceptionally(new IOException());
        runEverything();
        retrier.close();

        futures.attempt(2).complete("just in time");

        assertThat(result).isCompletedWithValue("just in time");
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.RECOVERED);
    }

    @Test
    void aCallAfterCloseMakesOneAttemptAndEndsWithItsFailure() {
        IOException failure = new IOException();
        retrier.close();

        CompletableFuture<String> result = retrier.callAsync(policy(), futures);
        futures.attempt(1).completeExceptionally(failure);

        assertThat(failureOf(result)).isSameAs(failure);
        assertThat(scheduler.delays()).isEmpty();
        assertThat(retrier.pendingRetries()).isZero();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void closeIsIdempotentAndLeavesFinishedCallsAlone() {
        CompletableFuture<String> done = retrier.callAsync(policy(), new Scripted("ok"));

        retrier.close();
        retrier.close();

        assertThat(retrier.isClosed()).isTrue();
        assertThat(done).isCompletedWithValue("ok");
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.SUCCESS);
    }

    // ---- rejection ---------------------------------------------------------------------

    @Test
    void aRejectingSchedulerEndsTheCallWithItsLastFailure() {
        IOException failure = new IOException("down");
        scheduler.reject(true);

        CompletableFuture<String> result = retrier.callAsync(policy(), futures);
        AtomicInteger completions = completions(result);
        futures.attempt(1).completeExceptionally(failure);

        assertThat(failureOf(result)).isSameAs(failure);
        assertThat(failure.getSuppressed()).singleElement()
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(completions).hasValue(1);
        assertThat(retrier.pendingRetries()).isZero();
        assertThat(listener.onlyEnding())
                .isEqualTo(new Ending("async", Outcome.ABORTED, 1,
                failure));
    }

    @Test
    void aRejectingExecutorEndsTheCallWithItsLastFailure() {
        IOException failure = new IOException("down");
        executor.reject(true);

        CompletableFuture<String> result = retrier.callAsync(policy(), futures);
        AtomicInteger completions = completions(result);
        futures.attempt(1).completeExceptionally(failure);
        scheduler.runAll();

        assertThat(failureOf(result)).isSameAs(failure);
        assertThat(failure.getSuppressed()).singleElement()
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(futures.calls()).isEqualTo(1);
        assertThat(completions).hasValue(1);
        assertThat(retrier.pendingRetries()).isZero();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void aSchedulerOrExecutorThrowingAnErrorEndsTheCallWithItsLastFailure() {
        AssertionError timerBroke = new AssertionError("timer broke");
        AssertionError poolBroke = new AssertionError("pool broke");
        IOException first = new IOException("first");
        IOException second = new IOException("second");
        Retrier brokenTimer = retrier().scheduler((task, delay) -> {
            throw timerBroke;
        }).build();
        Retrier brokenPool = retrier().executor(task -> {
            throw poolBroke;
        }).build();

        CompletableFuture<String> timed = brokenTimer.callAsync(policy(), new Scripted(first));
        CompletableFuture<String> pooled = brokenPool.callAsync(policy(), new Scripted(second));
        scheduler.runAll();

        assertThat(failureOf(timed)).isSameAs(first);
        assertThat(first.getSuppressed()).containsExactly(timerBroke);
        assertThat(failureOf(pooled)).isSameAs(second);
        assertThat(second.getSuppressed()).containsExactly(poolBroke);
        assertThat(brokenTimer.pendingRetries() + brokenPool.pendingRetries()).isZero();
        assertThat(listener.endings()).extracting(Ending::outcome)
                .containsExactly(Outcome.ABORTED, Outcome.ABORTED);
    }

    // ---- hooks that throw --------------------------------------------------------------

    @Test
    void aThrowingListenerDoesNotChangeSuccessOrRecovery() {
        retrier = retrier().listener(new ThrowingListener()).build();

        CompletableFuture<String> success = retrier.callAsync(policy(), new Scripted("ok"));
        CompletableFuture<String> recovered = retrier.callAsync(policy(),
                new Scripted(new IOException(), "ok"));
        runEverything();

        assertThat(success).isCompletedWithValue("ok");
        assertThat(recovered).isCompletedWithValue("ok");
        assertThat(listener.endings()).extracting(Ending::outcome)
                .containsExactly(Outcome.SUCCESS, Outcome.RECOVERED);
    }

    @Test
    void aThrowingListenerIsAttachedToTheFinalFailure() {
        ThrowingListener throwing = new ThrowingListener();
        retrier = retrier().listener(throwing).build();
        IOException first = new IOException("1");
        IOException last = new IOException("2");

        CompletableFuture<String> result = retrier.callAsync(policy(2),
                new Scripted(first, last));
        AtomicInteger completions = completions(result);
        runEverything();

        assertThat(failureOf(result)).isSameAs(last);
        assertThat(last.getSuppressed()).startsWith(first).containsAll(throwing.thrown)
                .hasSize(1 + throwing.thrown.size());
        assertThat(throwing.thrown).hasSize(3);
        assertThat(completions).hasValue(1);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.EXHAUSTED);
    }

    @Test
    void aThrowingListenerDoesNotStopACancellation() {
        retrier = retrier().listener(new ThrowingListener()).build();
        CompletableFuture<String> result = retrier.callAsync(policy(), futures);
        futures.attempt(1).completeExceptionally(new IOException());

        result.cancel(true);
        runEverything();

        assertThat(futures.calls()).isEqualTo(1);
        assertThat(scheduler.cancelledTasks()).isEqualTo(1);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void aThrowingPredicateEndsTheCallWithTheOriginalErrorAndItsOwnAttached() {
        IllegalStateException broken = new IllegalStateException("predicate broke");
        RetryPolicy policy = RetryPolicy.builder("async").retryIf(error -> {
            throw broken;
        }).build();
        IOException failure = new IOException("down");

        CompletableFuture<String> result = retrier.callAsync(policy, new Scripted(failure));
        AtomicInteger completions = completions(result);

        assertThat(failureOf(result)).isSameAs(failure);
        assertThat(failure.getSuppressed()).containsExactly(broken);
        assertThat(completions).hasValue(1);
        assertThat(scheduler.delays()).isEmpty();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void aBrokenRandomSourceNeverLeavesTheFuturePending() {
        IllegalStateException broken = new IllegalStateException("random broke");
        retrier = retrier().random(() -> {
            throw broken;
        }).build();
        IOException failure = new IOException("down");

        CompletableFuture<String> result = retrier.callAsync(policy(), new Scripted(failure));

        assertThat(failureOf(result)).isSameAs(failure);
        assertThat(failure.getSuppressed()).containsExactly(broken);
        assertThat(retrier.pendingRetries()).isZero();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void aDrawOutsideZeroToOneNeverEndsACallWithoutAnOutcome() {
        retrier = retrier().random(() -> -0.5).build();
        IOException failure = new IOException("down");

        CompletableFuture<String> result = retrier.callAsync(policy(), new Scripted(failure));

        assertThat(failureOf(result)).isSameAs(failure);
        assertThat(scheduler.delays()).isEmpty();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    // ---- exactly once ------------------------------------------------------------------

    @Test
    void laterEventsDoNotEndACallTwice() {
        CompletableFuture<String> result = retrier.callAsync(policy(), futures);
        AtomicInteger completions = completions(result);
        futures.attempt(1).completeExceptionally(new IOException());
        runEverything();
        result.cancel(true);

        futures.attempt(2).obtrudeException(new IOException("too late"));
        retrier.close();
        result.cancel(true);
        runEverything();

        assertThat(completions).hasValue(1);
        assertThat(futures.calls()).isEqualTo(2);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.CANCELLED);
    }

    /**
     * Returns each outcome in turn: a Throwable as a failed future, a stage as it is,
     * {@code null} as {@code null}, anything else as a completed future; repeats the last.
     */
    static class Scripted implements Supplier<CompletionStage<String>> {

        final AtomicInteger calls = new AtomicInteger();
        private final Object[] outcomes;

        Scripted(Object... outcomes) {
            this.outcomes = outcomes;
        }

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<String> get() {
            int call = calls.getAndIncrement();
            Object outcome = outcomes[Math.min(call, outcomes.length - 1)];
            if (outcome instanceof Throwable error) {
                return CompletableFuture.failedFuture(error);
            }
            if (outcome instanceof CompletionStage<?> stage) {
                return (CompletionStage<String>) stage;
            }
            return outcome == null ? null : CompletableFuture.completedFuture((String) outcome);
        }
    }
}
