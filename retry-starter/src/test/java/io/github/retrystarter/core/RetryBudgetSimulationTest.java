package io.github.retrystarter.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.retrystarter.core.support.ManualScheduler;
import io.github.retrystarter.core.support.RecordingListener;
import io.github.retrystarter.core.support.RecordingListener.Ending;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full outage of a downstream met by many concurrent callers, on virtual time: with a
 * budget, the downstream sees about one call per caller plus the budget's share, where
 * without one it would see every caller's every attempt.
 */
class RetryBudgetSimulationTest {

    private static final int CALLERS = 1_000;
    private static final int ATTEMPTS = 5;

    /** What a simulated outage came to. */
    record Run(int calls, List<Ending> endings, List<CompletableFuture<String>> results,
            long lastMillis) {

        long count(Outcome outcome) {
            return endings.stream().filter(ending -> ending.outcome() == outcome).count();
        }
    }

    /**
     * Starts {@link #CALLERS} calls within the first second against a downstream that always
     * fails, and runs every timer until all have ended.
     */
    private static Run outage(Double ratio, int minPerSecond) {
        ManualScheduler scheduler = new ManualScheduler();
        RecordingListener listener = new RecordingListener();
        Random random = new Random(42);
        Retrier retrier = Retrier.builder().scheduler(scheduler).executor(Runnable::run)
                .listener(listener).random(random::nextDouble)
                .clock(() -> TimeUnit.MILLISECONDS.toNanos(scheduler.now())).build();
        RetryBudget budget = ratio == null ? null : new RetryBudget(ratio, minPerSecond,
                () -> TimeUnit.MILLISECONDS.toNanos(scheduler.now()));
        RetryPolicy policy = RetryPolicy.builder("downstream").attempts(ATTEMPTS).base(100)
                .max(2_000).budget(budget).build();
        AtomicInteger calls = new AtomicInteger();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int caller = 0; caller < CALLERS; caller++) {
            scheduler.advance(1);
            results.add(retrier.callAsync(policy, () -> CompletableFuture.failedFuture(
                    new IllegalStateException("503 #" + calls.incrementAndGet()))));
        }
        scheduler.runAll();
        assertThat(results).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(retrier.pendingRetries()).isZero();
        return new Run(calls.get(), listener.endings(), results, scheduler.now());
    }

    @ParameterizedTest(name = "ratio {0}, {1} per second")
    @CsvSource({"0.1, 10", "0.0, 10", "0.1, 0", "0.5, 1"})
    void aBudgetKeepsTheCallsOfAnOutageNearOnePerCaller(double ratio, int minPerSecond) {
        Run without = outage(null, 0);
        Run with = outage(ratio, minPerSecond);

        double bound = (1 + ratio) * CALLERS + minPerSecond * RetryBudget.WINDOW_SECONDS;
        System.out.printf("Outage of %d callers, %d attempts: %d calls without a budget,"
                + " %d with ratio %.1f and %d/s (bound %.0f); %d throttled, %d exhausted%n",
                CALLERS, ATTEMPTS, without.calls(), with.calls(), ratio, minPerSecond, bound,
                with.count(Outcome.THROTTLED), with.count(Outcome.EXHAUSTED));
        assertThat(without.calls()).isEqualTo(ATTEMPTS * CALLERS);
        assertThat(with.calls()).isLessThanOrEqualTo((int) bound)
                .isGreaterThanOrEqualTo(CALLERS);
        assertThat(with.count(Outcome.THROTTLED) + with.count(Outcome.EXHAUSTED))
                .isEqualTo(CALLERS);
        assertThat(with.count(Outcome.THROTTLED)).isPositive();
    }

    @ParameterizedTest(name = "ratio {0}, {1} per second")
    @CsvSource({"0.1, 10"})
    void throttledCallsEndWithTheirLastErrorAsThrottled(double ratio, int minPerSecond) {
        Run run = outage(ratio, minPerSecond);

        assertThat(run.endings()).hasSize(CALLERS);
        for (CompletableFuture<String> result : run.results()) {
            Throwable failure = result.handle((value, error) -> error).join();
            Ending ending = run.endings().stream().filter(e -> e.error() == failure)
                    .findFirst().orElseThrow();
            assertThat(failure).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("503 #");
            assertThat(failure.getSuppressed()).hasSize(ending.attempts() - 1);
            if (ending.outcome() == Outcome.THROTTLED) {
                assertThat(ending.attempts()).isLessThan(ATTEMPTS);
            }
        }
    }
}
