package io.github.retrystarter.core;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

import io.github.retrystarter.core.support.ManualScheduler;
import io.github.retrystarter.core.support.RecordingListener;
import io.github.retrystarter.core.support.RecordingListener.Ending;
import io.github.retrystarter.core.support.RecordingListener.Failure;
import io.github.retrystarter.core.support.RecordingSleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

class RetrierSyncTest {

    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final RecordingListener listener = new RecordingListener();
    private final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void clearInterruptFlag() {
        // a test that fails half way must not leave the flag to the next one
        Thread.interrupted();
    }

    private Retrier.Builder retrier() {
        // a manual scheduler and a direct executor, so no test starts a thread by accident
        return Retrier.builder().scheduler(new ManualScheduler()).executor(Runnable::run)
                .sleeper(sleeper).listener(listener).random(() -> 0.5);
    }

    private static RetryPolicy.Builder policy() {
        return RetryPolicy.builder("sync").base(50).max(1000).multiplier(2.0).attempts(5);
    }

    private static DoubleSupplier draws(double... values) {
        AtomicInteger next = new AtomicInteger();
        return () -> values[next.getAndIncrement()];
    }

    /** Throws each of {@code failures} in turn, then answers "ok". */
    private Attempt<String> failing(Throwable... failures) {
        return () -> {
            int call = calls.getAndIncrement();
            if (call < failures.length) {
                throw failures[call];
            }
            return "ok";
        };
    }

    @Test
    void firstAttemptSucceeding() throws Throwable {
        String result = retrier().build().call(policy().build(), failing());

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(1);
        assertThat(sleeper.delays()).isEmpty();
        assertThat(listener.failures()).isEmpty();
        assertThat(listener.onlyEnding()).isEqualTo(new Ending("sync", Outcome.SUCCESS, 1, null));
    }

    @Test
    void recoversAfterTwoFailuresSleepingTheJitteredDelaysDrawn() throws Throwable {
        IllegalStateException first = new IllegalStateException("1");
        IllegalStateException second = new IllegalStateException("2");
        Retrier retrier = retrier().random(draws(0.5, 0.9)).build();

        String result = retrier.call(policy().jitter(true).build(), failing(first, second));

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
        // d(1) = 50 and d(2) = 100: 0.5 of the 51 whole ms in [0, 50], 0.9 of the 101 in [0, 100]
        assertThat(sleeper.delays()).containsExactly(25L, 90L);
        assertThat(listener.failures()).containsExactly(new Failure("sync", 1, first, 25),
                new Failure("sync", 2, second, 90));
        assertThat(listener.onlyEnding())
                .isEqualTo(new Ending("sync", Outcome.RECOVERED, 3, null));
    }

    @Test
    void withoutJitterSleepsTheExactSchedule() {
        Retrier retrier = retrier().build();
        RetryPolicy policy = policy().jitter(false).attempts(7).build();

        catchThrowable(() -> retrier.call(policy, () -> {
            calls.incrementAndGet();
            throw new IllegalStateException();
        }));

        assertThat(sleeper.delays()).containsExactly(50L, 100L, 200L, 400L, 800L, 1000L);
        assertThat(calls).hasValue(7);
    }

    @Test
    void exhaustedThrowsTheLastFailureItselfWithTheEarlierOnesSuppressed() {
        IllegalStateException first = new IllegalStateException("1");
        IllegalStateException second = new IllegalStateException("2");
        IllegalStateException last = new IllegalStateException("3");
        Retrier retrier = retrier().build();

        Throwable thrown = catchThrowable(
                () -> retrier.call(policy().attempts(3).build(), failing(first, second, last)));

        assertThat(thrown).isSameAs(last);
        assertThat(thrown.getSuppressed()).containsExactly(first, second);
        assertThat(calls).hasValue(3);
        assertThat(listener.delays()).containsExactly(25L, 50L, -1L);
        assertThat(listener.onlyEnding())
                .isEqualTo(new Ending("sync", Outcome.EXHAUSTED, 3, last));
    }

    @Test
    void theSameInstanceThrownEachTimeIsNeverSuppressedOnItself() {
        IllegalStateException same = new IllegalStateException("again");
        Retrier retrier = retrier().build();

        Throwable thrown = catchThrowable(
                () -> retrier.call(policy().attempts(3).build(), failing(same, same, same)));

        assertThat(thrown).isSameAs(same);
        assertThat(thrown.getSuppressed()).isEmpty();
        assertThat(calls).hasValue(3);
    }

    @Test
    void anInstanceThrownAgainLaterIsAttachedOnlyToOthers() {
        IllegalStateException a = new IllegalStateException("a");
        IllegalStateException b = new IllegalStateException("b");
        Retrier retrier = retrier().build();

        Throwable thrown = catchThrowable(
                () -> retrier.call(policy().attempts(3).build(), failing(a, b, a)));

        assertThat(thrown).isSameAs(a);
        assertThat(thrown.getSuppressed()).containsExactly(b);
    }

    @Test
    void checkedExceptionsAreRethrownAsThrown() {
        IOException last = new IOException("disk");
        Retrier retrier = retrier().build();

        Throwable thrown = catchThrowable(() -> retrier.call(policy().attempts(2).build(),
                failing(new IOException("first"), last)));

        assertThat(thrown).isSameAs(last).hasNoCause();
    }

    @Test
    void aNonRetryableErrorAbortsAfterOneCall() {
        IllegalArgumentException bad = new IllegalArgumentException("bad input");
        RetryPolicy policy = policy().retryOn(List.of(IOException.class)).build();

        Throwable thrown = catchThrowable(() -> retrier().build().call(policy, failing(bad)));

        assertThat(thrown).isSameAs(bad);
        assertThat(calls).hasValue(1);
        assertThat(sleeper.delays()).isEmpty();
        assertThat(listener.failures()).containsExactly(new Failure("sync", 1, bad, -1));
        assertThat(listener.onlyEnding()).isEqualTo(new Ending("sync", Outcome.ABORTED, 1, bad));
    }

    @Test
    void anErrorIsNotRetried() {
        AssertionError error = new AssertionError("broken");

        Throwable thrown = catchThrowable(
                () -> retrier().build().call(policy().build(), failing(error)));

        assertThat(thrown).isSameAs(error);
        assertThat(calls).hasValue(1);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void wrappersAreLookedThroughToDecideButThrownAsTheyWere() {
        IOException cause = new IOException("temporary");
        CompletionException wrapped = new CompletionException(cause);
        RetryPolicy policy = policy().retryOn(List.of(IOException.class)).attempts(2).build();

        Throwable thrown = catchThrowable(
                () -> retrier().build().call(policy, failing(wrapped, wrapped)));

        assertThat(thrown).isSameAs(wrapped);
        assertThat(calls).hasValue(2);
        assertThat(listener.failures()).extracting(Failure::error).containsOnly(cause);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.EXHAUSTED);
    }

    @Test
    void oneAttemptMeansNoRetry() {
        IllegalStateException failure = new IllegalStateException();

        Throwable thrown = catchThrowable(
                () -> retrier().build().call(policy().attempts(1).build(), failing(failure)));

        assertThat(thrown).isSameAs(failure);
        assertThat(calls).hasValue(1);
        assertThat(sleeper.delays()).isEmpty();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.EXHAUSTED);
    }

    @Test
    void retryCountsTheFirstAttemptTheCallerMadeItself() {
        IllegalStateException first = new IllegalStateException("1");
        IllegalStateException second = new IllegalStateException("2");
        IllegalStateException last = new IllegalStateException("3");

        Throwable thrown = catchThrowable(() -> retrier().build()
                .retry(policy().attempts(3).build(), failing(second, last), first));

        assertThat(thrown).isSameAs(last);
        assertThat(thrown.getSuppressed()).containsExactly(first, second);
        assertThat(calls).hasValue(2);
        assertThat(listener.onlyEnding().attempts()).isEqualTo(3);
    }

    @Test
    void anAttemptInterruptedWhileItRanIsNotRetried() {
        // the JDK clears the flag when it throws, so only the exception tells of the interrupt
        InterruptedException interrupted = new InterruptedException("interrupted in the body");

        Throwable thrown = catchThrowable(() -> retrier().build().call(policy().build(),
                failing(interrupted, new IllegalStateException("never thrown"))));

        assertThat(thrown).isSameAs(interrupted);
        assertThat(calls).hasValue(1);
        assertThat(sleeper.delays()).isEmpty();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    @Timeout(10)
    void anInterruptWhileSleepingEndsTheLoopKeepsTheFlagAndSurfacesTheLastFailure()
            throws Exception {
        IllegalStateException failure = new IllegalStateException("down");
        RetryPolicy policy = policy().base(60_000).max(60_000).jitter(false).build();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        try (Retrier retrier = Retrier.builder().scheduler(new ManualScheduler())
                .executor(Runnable::run).listener(listener).build()) {
            Thread caller = new Thread(() -> {
                thrown.set(catchThrowable(() -> retrier.call(policy, failing(failure))));
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            }, "sync-caller");
            caller.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 1
                    && caller.getState() == Thread.State.TIMED_WAITING);

            caller.interrupt();
            caller.join(5_000);

            assertThat(caller.isAlive()).isFalse();
        }
        assertThat(thrown.get()).isSameAs(failure);
        assertThat(interruptedAfter).isTrue();
        assertThat(calls).hasValue(1);
        assertThat(listener.onlyEnding())
                .isEqualTo(new Ending("sync", Outcome.ABORTED, 1, failure));
    }

    @Test
    void aSleeperThatIsInterruptedEndsTheLoopAndKeepsTheFlag() {
        IllegalStateException failure = new IllegalStateException("down");
        Retrier retrier = retrier().sleeper(millis -> {
            throw new InterruptedException();
        }).build();

        Throwable thrown = catchThrowable(() -> retrier.call(policy().build(), failing(failure)));
        boolean interrupted = Thread.interrupted();

        assertThat(thrown).isSameAs(failure);
        assertThat(interrupted).isTrue();
        assertThat(calls).hasValue(1);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    @Timeout(10)
    void closingWakesASleepingCallerWhichEndsWithItsLastFailure() throws Exception {
        IllegalStateException failure = new IllegalStateException("down");
        RetryPolicy policy = policy().base(60_000).max(60_000).jitter(false).build();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Retrier retrier = Retrier.builder().scheduler(new ManualScheduler())
                .executor(Runnable::run).listener(listener).build();
        Thread caller = new Thread(() -> {
            thrown.set(catchThrowable(() -> retrier.call(policy, failing(failure))));
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        }, "sync-caller");
        caller.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 1
                && caller.getState() == Thread.State.TIMED_WAITING);

        retrier.close();
        caller.join(5_000);

        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isSameAs(failure);
        assertThat(interruptedAfter).isFalse();
        assertThat(calls).hasValue(1);
        assertThat(listener.onlyEnding())
                .isEqualTo(new Ending("sync", Outcome.ABORTED, 1, failure));
    }

    @Test
    @Timeout(10)
    void aCallAfterCloseMakesOneAttemptAndDoesNotWait() {
        IllegalStateException failure = new IllegalStateException("down");
        Retrier retrier = Retrier.builder().scheduler(new ManualScheduler())
                .executor(Runnable::run).listener(listener).build();
        retrier.close();
        RetryPolicy policy = policy().base(60_000).max(60_000).jitter(false).build();

        Throwable thrown = catchThrowable(() -> retrier.call(policy, failing(failure)));

        assertThat(thrown).isSameAs(failure);
        assertThat(calls).hasValue(1);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void closingWhileAReplacedSleeperWaitsEndsTheCallWhenItReturns() {
        IllegalStateException failure = new IllegalStateException("down");
        AtomicReference<Retrier> self = new AtomicReference<>();
        Retrier retrier = retrier().sleeper(sleeper.during(() -> self.get().close())).build();
        self.set(retrier);

        Throwable thrown = catchThrowable(() -> retrier.call(policy().build(),
                failing(failure, new IllegalStateException("never thrown"))));

        assertThat(thrown).isSameAs(failure);
        assertThat(calls).hasValue(1);
        assertThat(sleeper.delays()).hasSize(1);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void aThrowingPredicateEndsTheCallWithTheOriginalErrorAndItsOwnAttached() {
        IllegalStateException failure = new IllegalStateException("down");
        IllegalArgumentException broken = new IllegalArgumentException("predicate broke");
        RetryPolicy policy = policy().retryIf(error -> {
            throw broken;
        }).build();

        Throwable thrown = catchThrowable(() -> retrier().build().call(policy, failing(failure)));

        assertThat(thrown).isSameAs(failure);
        assertThat(thrown.getSuppressed()).containsExactly(broken);
        assertThat(calls).hasValue(1);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void aBrokenRandomSourceEndsTheCallWithTheOriginalErrorAndItsOwnAttached() {
        IllegalStateException failure = new IllegalStateException("down");
        IllegalStateException broken = new IllegalStateException("random broke");
        Retrier retrier = retrier().random(() -> {
            throw broken;
        }).build();

        Throwable thrown = catchThrowable(() -> retrier.call(policy().build(), failing(failure)));

        assertThat(thrown).isSameAs(failure);
        assertThat(thrown.getSuppressed()).containsExactly(broken);
        assertThat(listener.onlyEnding())
                .isEqualTo(new Ending("sync", Outcome.ABORTED, 1, failure));
    }

    @Test
    void aCancellationExceptionThrownByASynchronousMethodIsRetriedLikeAnyOther()
            throws Throwable {
        Retrier retrier = retrier().build();

        String value = retrier.call(policy().build(),
                failing(new CancellationException("awaited a cancelled"
                        + " future")));

        assertThat(value).isEqualTo("ok");
        assertThat(calls).hasValue(2);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.RECOVERED);
    }

    @Test
    void aThrowingSleeperEndsTheCallWithTheOriginalErrorAndItsOwnAttached() {
        for (Throwable broken : List.of(new IllegalStateException("sleeper broke"),
                new AssertionError("sleeper broke harder"))) {
            IllegalStateException failure = new IllegalStateException("down");
            calls.set(0);
            Retrier retrier = retrier().sleeper(millis -> {
                if (broken instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) broken;
            }).build();

            Throwable thrown = catchThrowable(() -> retrier.call(policy().build(),
                    failing(failure)));

            assertThat(thrown).as("sleeper throwing %s", broken).isSameAs(failure);
            assertThat(thrown.getSuppressed()).containsExactly(broken);
            assertThat(calls).hasValue(1);
        }
        assertThat(listener.endings()).extracting(Ending::outcome)
                .containsExactly(Outcome.ABORTED, Outcome.ABORTED);
    }

    @Test
    void aDrawOutsideZeroToOneEndsTheCallWithAnOutcome() {
        IllegalStateException failure = new IllegalStateException("down");
        Retrier retrier = retrier().random(() -> -0.5).build();

        Throwable thrown = catchThrowable(() -> retrier.call(policy().build(), failing(failure)));

        assertThat(thrown).isSameAs(failure);
        assertThat(thrown.getSuppressed()).singleElement().asString().contains("-0.5");
        assertThat(sleeper.delays()).isEmpty();
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void aThrowingListenerDoesNotChangeASuccess() throws Throwable {
        Retrier retrier = retrier().listener(new ThrowingListener()).build();

        assertThat(retrier.call(policy().build(), failing())).isEqualTo("ok");
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void aThrowingListenerDoesNotChangeARecovery() throws Throwable {
        Retrier retrier = retrier().listener(new ThrowingListener()).build();

        String result = retrier.call(policy().build(), failing(new IllegalStateException()));

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(2);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.RECOVERED);
    }

    @Test
    void aThrowingListenerIsAttachedToTheFinalFailure() {
        IllegalStateException first = new IllegalStateException("1");
        IllegalStateException last = new IllegalStateException("2");
        ThrowingListener throwing = new ThrowingListener();
        Retrier retrier = retrier().listener(throwing).build();

        Throwable thrown = catchThrowable(
                () -> retrier.call(policy().attempts(2).build(), failing(first, last)));

        assertThat(thrown).isSameAs(last);
        assertThat(thrown.getSuppressed()).startsWith(first)
                .containsAll(throwing.thrown).hasSize(1 + throwing.thrown.size());
        assertThat(throwing.thrown).hasSize(3);
        assertThat(listener.failures()).hasSize(2);
        assertThat(listener.onlyEnding().outcome()).isEqualTo(Outcome.EXHAUSTED);
    }

    /** Throws a new error from every event, and keeps them. */
    static final class ThrowingListener implements RetryListener {

        final List<RuntimeException> thrown = new CopyOnWriteArrayList<>();

        @Override
        public void onFailedAttempt(RetryPolicy policy, int attempt, Throwable error,
                long delayMillis) {
            throw record(new IllegalStateException("listener broke on attempt " + attempt));
        }

        @Override
        public void onOutcome(RetryPolicy policy, Outcome outcome, int attempts,
                Throwable error) {
            throw record(new IllegalStateException("listener broke on " + outcome));
        }

        private RuntimeException record(RuntimeException error) {
            thrown.add(error);
            return error;
        }
    }
}
