package io.github.retrystarter.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.retrystarter.core.support.ManualScheduler;
import io.github.retrystarter.core.support.RecordingListener;
import io.github.retrystarter.core.support.RecordingListener.Ending;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The retry budget on a clock the test moves: its window, ratio, floor and limits. */
class RetryBudgetTest {

    private final AtomicLong nanos = new AtomicLong();

    private RetryBudget budget(double ratio, int minPerSecond) {
        return new RetryBudget(ratio, minPerSecond, nanos::get);
    }

    private void advanceSeconds(long seconds) {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    private static int acquireAll(RetryBudget budget) {
        int granted = 0;
        while (budget.tryAcquireRetry()) {
            granted++;
        }
        return granted;
    }

    private static void calls(RetryBudget budget, int count) {
        for (int i = 0; i < count; i++) {
            budget.recordCall();
        }
    }

    @Test
    void theFloorAloneAllowsMinPerSecondForEachSecondOfTheWindow() {
        assertThat(acquireAll(budget(0, 3))).isEqualTo(3 * RetryBudget.WINDOW_SECONDS);
    }

    @Test
    void theRatioAllowsAShareOfTheRecentCalls() {
        RetryBudget budget = budget(0.5, 0);
        calls(budget, 10);

        assertThat(acquireAll(budget)).isEqualTo(5);
    }

    @Test
    void ratioAndFloorAddUp() {
        RetryBudget budget = budget(0.1, 2);
        calls(budget, 100);

        assertThat(acquireAll(budget)).isEqualTo(10 + 2 * RetryBudget.WINDOW_SECONDS);
    }

    @Test
    void aBudgetOfNothingRefusesEveryRetry() {
        RetryBudget budget = budget(0, 0);
        calls(budget, 1_000);

        assertThat(budget.tryAcquireRetry()).isFalse();
    }

    @Test
    void retriesLeaveTheWindowAfterTenSeconds() {
        RetryBudget budget = budget(0, 1);
        assertThat(acquireAll(budget)).isEqualTo(10);

        advanceSeconds(9);
        assertThat(budget.tryAcquireRetry()).isFalse();
        advanceSeconds(1);

        assertThat(acquireAll(budget)).isEqualTo(10);
    }

    @Test
    void callsLeaveTheWindowAfterTenSecondsToo() {
        RetryBudget budget = budget(1, 0);
        calls(budget, 4);
        advanceSeconds(RetryBudget.WINDOW_SECONDS);
        calls(budget, 1);

        assertThat(acquireAll(budget)).isEqualTo(1);
    }

    @Test
    void theWindowSpansSeveralSeconds() {
        RetryBudget budget = budget(1, 0);
        for (int second = 0; second < RetryBudget.WINDOW_SECONDS; second++) {
            calls(budget, 2);
            advanceSeconds(1);
        }
        // ten seconds later the first second has left the window: 9 seconds of 2 calls
        assertThat(acquireAll(budget)).isEqualTo(18);
    }

    @Test
    void worksOnANegativeClockAsSystemNanoTimeMayBe() {
        nanos.set(Long.MIN_VALUE / 2);
        RetryBudget budget = budget(0.5, 0);
        calls(budget, 4);

        assertThat(acquireAll(budget)).isEqualTo(2);
    }

    @Test
    void badFiguresAreRejectedNamingTheProperty() {
        assertThatIllegalArgumentException().isThrownBy(() -> budget(-0.1, 1))
                .withMessageContaining("budget.ratio").withMessageContaining("-0.1");
        assertThatIllegalArgumentException().isThrownBy(() -> budget(Double.NaN, 1))
                .withMessageContaining("budget.ratio");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> budget(Double.POSITIVE_INFINITY, 1))
                .withMessageContaining("budget.ratio");
        assertThatIllegalArgumentException().isThrownBy(() -> budget(0.1, -1))
                .withMessageContaining("budget.min-per-second").withMessageContaining("-1");
    }

    @Test
    void budgetsAreSharedByNameWithTheFirstFigures() {
        RetryBudgets budgets = new RetryBudgets(nanos::get);

        RetryBudget first = budgets.forName("inventory", 0.2, 5);

        assertThat(budgets.forName("inventory", 0.9, 50)).isSameAs(first);
        assertThat(first.ratio()).isEqualTo(0.2);
        assertThat(first.minPerSecond()).isEqualTo(5);
        assertThat(budgets.forName("billing", 0.2, 5)).isNotSameAs(first);
    }

    @Test
    @Timeout(20)
    void threadsRacingForTheLastRetriesNeverGetMoreThanAllowed() throws Exception {
        for (int round = 0; round < 20; round++) {
            RetryBudget budget = budget(0, 50);
            // opens this second's bucket first: a bucket rolling over may lose a few counts,
            // as documented; this is about racing for the last retries of a second
            budget.recordCall();
            int threads = 4;
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger granted = new AtomicInteger();
            List<Thread> racers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread racer = new Thread(() -> {
                    try {
                        start.await();
                    }
                    catch (InterruptedException interrupted) {
                        return;
                    }
                    for (int i = 0; i < 1_000; i++) {
                        if (budget.tryAcquireRetry()) {
                            granted.incrementAndGet();
                        }
                    }
                });
                racer.start();
                racers.add(racer);
            }
            start.countDown();
            for (Thread racer : racers) {
                racer.join();
            }
            assertThat(granted).as("round %d", round).hasValueLessThanOrEqualTo(500);
        }
    }

    @Test
    void aRetrierEndsAThrottledCallWithItsLastErrorAsThrottled() {
        RecordingListener listener = new RecordingListener();
        Retrier retrier = Retrier.builder().scheduler(new ManualScheduler())
                .executor(Runnable::run).sleeper(millis -> { }).listener(listener).build();
        RetryPolicy policy = RetryPolicy.builder("budgeted").attempts(5)
                .budget(budget(0, 0)).build();
        IOException failure = new IOException("down");

        Throwable thrown = catchThrowable(() -> retrier.call(policy, () -> {
            throw failure;
        }));

        assertThat(thrown).isSameAs(failure);
        assertThat(listener.delays()).containsExactly(-1L);
        assertThat(listener.onlyEnding()).isEqualTo(new Ending("budgeted", Outcome.THROTTLED,
                1, failure));
        assertThat(Outcome.THROTTLED.tagValue()).isEqualTo("throttled");
    }

    @Test
    void aRetrierCountsEachCallOnceInTheBudgetWhateverItsOutcome() throws Throwable {
        RetryBudget budget = budget(1, 0);
        Retrier retrier = Retrier.builder().scheduler(new ManualScheduler())
                .executor(Runnable::run).sleeper(millis -> { }).build();
        RetryPolicy policy = RetryPolicy.builder("counted").attempts(2).budget(budget).build();
        AtomicInteger calls = new AtomicInteger();

        retrier.call(policy, () -> "ok");
        retrier.call(policy, () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("once");
            }
            return "recovered";
        });
        retrier.callAsync(policy, () -> java.util.concurrent.CompletableFuture
                .completedFuture("async"));

        // three calls, one retry taken: two left
        assertThat(acquireAll(budget)).isEqualTo(2);
    }
}
